import { clientIp, cleanText } from '../../enrich/index.ts';
import type { HitPayload } from '../../contract/payload.schema.ts';
import type { IngestContext } from '../context.ts';

/**
 * Who is visiting what. Browsers' IP and user agent come from the request itself (a page cannot
 * forge them in the body); API clients forward their visitor's in the body, as Pirsch's SDKs do.
 */
export function requestStep(trustedProxies: string[]) {
  return {
    name: 'request',
    run(ctx: IngestContext) {
      const { input } = ctx;
      const payload = input.payload as Partial<HitPayload>;
      const serverSide = input.auth.type === 'principal';
      ctx.ip = serverSide
        ? (payload.ip ?? '')
        : clientIp({ remoteAddress: input.remoteAddress, headers: input.headers, trustedProxies });
      ctx.userAgent = cleanText(serverSide ? (payload.user_agent ?? '') : (input.headers['user-agent'] ?? ''), 1_000);
      ctx.dims.hostname = ctx.url.hostname.toLowerCase();
      ctx.dims.path = normalizePath(ctx.url);
      ctx.dims.title = cleanText(payload.title ?? '', 512);
    },
  };
}

/** `/blog/` and `/blog` are one page; hash routes (data-hash) keep their fragment. */
function normalizePath(url: URL): string {
  let path = url.pathname;
  try {
    path = decodeURI(path);
  } catch {
    // keep the encoded form
  }
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  const hash = url.hash.startsWith('#/') ? url.hash : '';
  return (path + hash).slice(0, 2_048);
}
