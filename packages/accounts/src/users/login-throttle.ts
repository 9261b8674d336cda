import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AccountsContext } from '../context.ts';
import { AccountsError } from '../errors.ts';

/**
 * Brute-force protection for passwords that no stranger can turn against the owner. Issue 13:
 * ten wrong passwords for an address locked the right password out for 15 minutes, so anyone
 * could lock anyone out. Now:
 *
 * - Per address and account: the first FREE_FAILURES wrong passwords cost nothing; after that
 *   each one makes this address wait before its next try for this account, doubling from one
 *   second up to MAX_DELAY_SECONDS. A guesser gets a few hundred tries a day; a typo costs nothing.
 *   A stranger's failures delay only the stranger's address.
 * - Per account, from all addresses together (a guesser spreading over many addresses): past
 *   ACCOUNT_FAILURES failures within an hour, only browsers that signed in to this account before
 *   may try. A browser is known by a cookie signed for the account (`device token`) that every
 *   successful sign-in hands out; a stranger cannot mint one, so the owner's browser still gets in.
 *
 * The same rules apply to an address with no account, so the answers reveal nothing about who has
 * one. State is in Redis, shared by every backend replica.
 */
const FREE_FAILURES = 5;
const MAX_DELAY_SECONDS = 15 * 60;
const PAIR_MEMORY_SECONDS = 24 * 60 * 60;
const ACCOUNT_FAILURES = 50;
const ACCOUNT_WINDOW_SECONDS = 60 * 60;

const pairKey = (ip: string, email: string) => `login:backoff:${email.toLowerCase()}:${ip}`;
const accountKey = (email: string) => `login:failures:${email.toLowerCase()}`;

const tooMany = (seconds: number) =>
  new AccountsError('rate_limited', 'too many attempts; try again later', undefined, Math.max(1, Math.ceil(seconds)));

/** Refuses the attempt (429 with Retry-After) when this address must still wait, or the account is under attack. */
export async function checkLoginAllowed(
  ctx: AccountsContext,
  attempt: { email: string; ip: string; knownDevice: boolean },
): Promise<void> {
  const [until, accountFailures, accountTtl] = await ctx.redis
    .multi()
    .hget(pairKey(attempt.ip, attempt.email), 'until')
    .get(accountKey(attempt.email))
    .ttl(accountKey(attempt.email))
    .exec()
    .then((replies) => (replies ?? []).map(([, value]) => value) as [string | null, string | null, number]);
  const wait = (Number(until ?? 0) - ctx.now().getTime()) / 1000;
  if (wait > 0) throw tooMany(wait);
  if (!attempt.knownDevice && Number(accountFailures ?? 0) >= ACCOUNT_FAILURES)
    throw tooMany(accountTtl > 0 ? accountTtl : ACCOUNT_WINDOW_SECONDS);
}

/** Counts a wrong password against this address (with its delay) and against the account. */
export async function recordLoginFailure(ctx: AccountsContext, attempt: { email: string; ip: string }): Promise<void> {
  const key = pairKey(attempt.ip, attempt.email);
  const failures = await ctx.redis.hincrby(key, 'failures', 1);
  const excess = failures - FREE_FAILURES;
  const pipeline = ctx.redis.multi().expire(key, PAIR_MEMORY_SECONDS);
  if (excess > 0) {
    const delay = Math.min(2 ** (excess - 1), MAX_DELAY_SECONDS);
    pipeline.hset(key, 'until', String(ctx.now().getTime() + delay * 1000));
  }
  // The window starts with the first failure (NX) and is not stretched by later ones.
  await pipeline.incr(accountKey(attempt.email)).expire(accountKey(attempt.email), ACCOUNT_WINDOW_SECONDS, 'NX').exec();
}

/** The right password forgives this address's failures for the account. */
export async function recordLoginSuccess(ctx: AccountsContext, attempt: { email: string; ip: string }): Promise<void> {
  await ctx.redis.del(pairKey(attempt.ip, attempt.email));
}

/** A token naming this browser as one that signed in to the user's account (kept in a long-lived cookie). */
export function issueDeviceToken(ctx: AccountsContext, userId: string): string {
  const nonce = randomBytes(12).toString('base64url');
  return `${nonce}.${sign(ctx, userId, nonce)}`;
}

export function isKnownDevice(ctx: AccountsContext, userId: string | undefined, token: string | undefined): boolean {
  if (!userId || !token) return false;
  const [nonce, signature, extra] = token.split('.');
  if (!nonce || !signature || extra !== undefined) return false;
  const expected = Buffer.from(sign(ctx, userId, nonce));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sign(ctx: AccountsContext, userId: string, nonce: string): string {
  return createHmac('sha256', ctx.grantKey).update(`login-device:${userId}:${nonce}`).digest('base64url');
}
