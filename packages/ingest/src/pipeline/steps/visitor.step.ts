import { visitorPartition } from '../../session/raw-stream.ts';
import type { createSaltStore } from '../../visitor/salt.ts';
import type { IngestContext } from '../context.ts';

/**
 * Cookieless identity: a keyed hash of (daily salt, site, IP, user agent). After this step the
 * IP is no longer needed; it is never stored or logged.
 */
export function visitorStep(salts: ReturnType<typeof createSaltStore>) {
  return {
    name: 'visitor',
    run(ctx: IngestContext): void | Promise<void> {
      ctx.partition = visitorPartition(ctx.site.id, ctx.ip, ctx.userAgent);
      const ids = salts.visitorIds(ctx.input.time, ctx.site.id, ctx.ip, ctx.userAgent);
      if (!(ids instanceof Promise)) return assign(ctx, ids);
      return ids.then((known) => assign(ctx, known));
    },
  };
}

function assign(ctx: IngestContext, ids: { visitorId: string; previousVisitorId: string }) {
  ctx.visitorId = ids.visitorId;
  ctx.previousVisitorId = ids.previousVisitorId;
}
