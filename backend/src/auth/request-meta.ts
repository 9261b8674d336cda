import type { Request } from 'express';
import type { RequestMeta } from '@spur/accounts';
import { readDeviceCookie } from './session-cookie.ts';

/**
 * The client facts account services use for rate limits and session labels. `req.ip` follows the
 * app's `trust proxy` setting, so behind a load balancer the per-IP limits see the balancer unless
 * proxies are trusted; the per-email and per-user limits still hold.
 */
export function requestMeta(req: Request): RequestMeta {
  return { ip: req.ip, userAgent: req.get('user-agent') ?? '', deviceToken: readDeviceCookie(req) };
}
