import { createSessionStore, type IngestSite } from '@spur/ingest';
import type { Redis } from '@spur/storage';
import { DEMO_SITES, type DemoSiteProfile, type Weighted } from './demo-profiles.ts';
import { feedHit, mulberry32, randomUInt64, visit, weighted, type Hit } from './demo-traffic.ts';

export type TrickleSite = { site: IngestSite; profile: DemoSiteProfile };

/** The seeded demo sites with the profiles their history was drawn from. */
export function demoTrickleSites(seed: {
  organizationId: string;
  sites: { id: string; hostname: string }[];
}): TrickleSite[] {
  return seed.sites.flatMap((s) => {
    const profile = DEMO_SITES.find((p) => p.hostname === s.hostname);
    if (!profile) return [];
    const site: IngestSite = {
      id: s.id,
      organizationId: seed.organizationId,
      hostname: s.hostname,
      hostnames: [s.hostname],
      filters: { ips: [], paths: [], countries: [] },
    };
    return [{ site, profile }];
  });
}

/**
 * A gentle stream of live visits while `npm run dev` runs, so the realtime view and "today" keep
 * moving after the seeded history ends: every few seconds a new visit starts on one of the sites
 * (busier sites more often), and each of its hits is fed through the real session store at the
 * moment it happens, like a browser would send it. Resolves once `signal` aborts.
 */
export async function runDemoTrickle(options: {
  redis: Redis;
  sites: TrickleSite[];
  signal: AbortSignal;
  /** Milliseconds between new visits, drawn evenly from this range. */
  every?: [min: number, max: number];
  seed?: number;
  /** Called for every hit sent (tests count them). */
  onHit?: (hit: Hit) => void;
}): Promise<void> {
  if (options.sites.length === 0) return;
  const [min, max] = options.every ?? [4_000, 12_000];
  const random = mulberry32(options.seed ?? Date.now() % 2 ** 31);
  const pick = <T>(table: Weighted<T>) => weighted(random, table);
  const bySize: Weighted<TrickleSite> = options.sites.map((s) => [s, s.profile.sessionsPerDay]);
  const updateSession = createSessionStore(options.redis);
  const returning: string[] = [];
  const queue: { hit: Hit; site: IngestSite }[] = [];
  let nextVisit = Date.now();

  while (!options.signal.aborted) {
    const now = Date.now();
    if (now >= nextVisit) {
      const { site, profile } = pick(bySize);
      const visitorId =
        returning.length > 10 && random() < 0.3
          ? returning[Math.floor(random() * returning.length)]!
          : randomUInt64(random);
      if (returning.length < 200) returning.push(visitorId);
      // The visit's later pages lie in the future; they are sent when their time comes.
      for (const hit of visit(random, pick, profile, visitorId, now, now + 20 * 60_000)) queue.push({ hit, site });
      queue.sort((a, b) => a.hit.time - b.hit.time);
      nextVisit = now + min + Math.floor(random() * (max - min));
    }
    while (queue.length > 0 && queue[0]!.hit.time <= now) {
      const { hit, site } = queue.shift()!;
      await feedHit(updateSession, site, hit);
      options.onHit?.(hit);
    }
    await pause(250, options.signal);
  }
}

/** Waits `ms`, or less when `signal` aborts; leaves no listener behind either way. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
