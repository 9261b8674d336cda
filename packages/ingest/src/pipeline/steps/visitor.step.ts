import type { createSaltStore } from '../../visitor/salt.ts';
import type { IngestContext } from '../context.ts';

/**
 * Cookieless identity: a keyed hash of (daily salt, site, IP, user agent). After this step the
 * IP is no longer needed; it is never stored or logged.
 */
export function visitorStep(salts: ReturnType<typeof createSaltStore>) {
  return {
    name: 'visitor',
    async run(ctx: IngestContext) {
      const ids = await salts.visitorIds(ctx.input.time, ctx.site.id, ctx.ip, ctx.userAgent);
      ctx.visitorId = ids.visitorId;
      ctx.previousVisitorId = ids.previousVisitorId;
    },
  };
}
