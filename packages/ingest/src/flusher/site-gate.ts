import type { Redis } from 'ioredis';
import type pg from 'pg';
import { SITE_SETTINGS_CHANNEL } from '@spur/accounts';
import { createSiteDirectory } from '../sites/site-directory.ts';

/**
 * Which sites still exist, asked by the flusher before every insert. Deleting a site removes its
 * statistics from ClickHouse, but its hits may still wait in the stream (or arrive from a live
 * session a moment before the site's row goes); inserting them afterwards would bring deleted
 * statistics back with no site left to delete them from. The answer comes from the ingest
 * pipeline's own site directory (cached, unknown ids cached too) kept fresh by the same
 * `spur:site-settings-changed` announcements the backend listens to, so a deletion reaches the
 * flusher within milliseconds, not at the cache's expiry.
 */
export type SiteGate = {
  /** The subset of `siteIds` that exists now. Throws when Postgres cannot say (the caller retries). */
  existing: (siteIds: Iterable<string>) => Promise<Set<string>>;
  close: () => void;
};

export async function openSiteGate(pool: pg.Pool, redis: Redis): Promise<SiteGate> {
  const sites = createSiteDirectory(pool);
  const subscriber = redis.duplicate();
  subscriber.on('message', (_channel: string, siteId: string) => sites.invalidate(siteId));
  // Announcements sent while the subscriber was disconnected are lost: start over after a reconnect.
  subscriber.on('ready', () => sites.invalidate());
  await subscriber.subscribe(SITE_SETTINGS_CHANNEL);
  return {
    async existing(siteIds) {
      const ids = [...new Set(siteIds)];
      const found = await Promise.all(ids.map((id) => sites.byId(id)));
      return new Set(ids.filter((_, i) => found[i] !== undefined));
    },
    close: () => subscriber.disconnect(),
  };
}
