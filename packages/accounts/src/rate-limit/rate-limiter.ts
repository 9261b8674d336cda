import type { Redis } from '@spur/storage';
import { AccountsError } from '../errors.ts';

/**
 * Fixed-window counters in Redis, shared by every backend replica. INCR and the first EXPIRE run
 * in one script, so a crash between them cannot leave a counter that never expires.
 */
const SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('TTL', KEYS[1])}
`;

export type RateLimitPolicy = { name: string; limit: number; windowSeconds: number };

/**
 * Limits for the endpoints attackers aim at. Keys by email are applied whether or not the address
 * exists, so a 429 reveals nothing about registration.
 */
export const RATE_LIMITS = {
  // Per account there is no fixed window: see users/login-throttle.ts (a window let strangers lock owners out).
  loginByIp: { name: 'login:ip', limit: 100, windowSeconds: 15 * 60 },
  signupByIp: { name: 'signup:ip', limit: 10, windowSeconds: 60 * 60 },
  resetByEmail: { name: 'reset:email', limit: 3, windowSeconds: 60 * 60 },
  resetByIp: { name: 'reset:ip', limit: 30, windowSeconds: 60 * 60 },
  verifyResendByEmail: { name: 'verify:email', limit: 3, windowSeconds: 60 * 60 },
  twoFactorByUser: { name: '2fa:user', limit: 5, windowSeconds: 5 * 60 },
  accessLinkPassword: { name: 'share:link', limit: 20, windowSeconds: 15 * 60 },
  tokenByClient: { name: 'token:client', limit: 60, windowSeconds: 60 },
} satisfies Record<string, RateLimitPolicy>;

export type RateLimitResult = { allowed: boolean; remaining: number; retryAfterSeconds: number };

export async function hitRateLimit(redis: Redis, policy: RateLimitPolicy, subject: string): Promise<RateLimitResult> {
  const key = `ratelimit:${policy.name}:${subject.toLowerCase()}`;
  const [count, ttl] = (await redis.eval(SCRIPT, 1, key, String(policy.windowSeconds))) as [number, number];
  return {
    allowed: count <= policy.limit,
    remaining: Math.max(policy.limit - count, 0),
    retryAfterSeconds: ttl > 0 ? ttl : policy.windowSeconds,
  };
}

/** Counts one attempt and throws `rate_limited` once the window's budget is spent. */
export async function enforceRateLimit(
  redis: Redis,
  policy: RateLimitPolicy,
  subject: string | undefined,
): Promise<void> {
  if (!subject) return;
  const result = await hitRateLimit(redis, policy, subject);
  if (!result.allowed) {
    throw new AccountsError('rate_limited', 'too many attempts; try again later', undefined, result.retryAfterSeconds);
  }
}

/** A successful login forgives the failed attempts that came before it. */
export async function resetRateLimit(redis: Redis, policy: RateLimitPolicy, subject: string): Promise<void> {
  await redis.del(`ratelimit:${policy.name}:${subject.toLowerCase()}`);
}
