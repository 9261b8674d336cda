import { hash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const DAY_MS = 86_400_000;

/**
 * The daily random salt behind visitor ids, shared by every backend node through Redis and
 * created by whichever node needs it first (SET NX). Salts expire two days after their day
 * started, so yesterday's remains usable for visits that span midnight, and after that a visitor
 * id can no longer be recomputed from an IP address and user agent by anyone, including us.
 */
export function createSaltStore(redis: Redis) {
  const local = new Map<string, string>();
  // The UTC day of the last hit and its text, and the day before's: nearly every hit is on the same day.
  let dayNumber = NaN;
  let days: [today: string, yesterday: string] = ['', ''];

  async function saltFor(day: string): Promise<string> {
    const known = local.get(day);
    if (known) return known;
    const key = `spur:salt:${day}`;
    const dayStart = Date.parse(`${day}T00:00:00Z`);
    const expiresAt = dayStart + 2 * DAY_MS;
    const fresh = randomBytes(32).toString('base64');
    await redis.set(key, fresh, 'PXAT', expiresAt, 'NX');
    const salt = (await redis.get(key)) ?? fresh;
    if (local.size > 4) local.clear();
    local.set(day, salt);
    return salt;
  }

  const ids = (today: string, previous: string, siteId: string, ip: string, userAgent: string) => ({
    visitorId: visitorId(today, siteId, ip, userAgent),
    previousVisitorId: visitorId(previous, siteId, ip, userAgent),
  });

  return {
    /**
     * Visitor ids for `time`'s UTC day and the day before (for sessions crossing midnight). A plain
     * value once both salts are known locally, which is every hit but the first of a day.
     */
    visitorIds(time: Date, siteId: string, ip: string, userAgent: string): VisitorIds | Promise<VisitorIds> {
      const number = Math.floor(time.getTime() / DAY_MS);
      if (number !== dayNumber) {
        dayNumber = number;
        days = [utcDay(time), utcDay(new Date(time.getTime() - DAY_MS))];
      }
      const [day, yesterday] = days;
      const today = local.get(day);
      const previous = local.get(yesterday);
      if (today && previous) return ids(today, previous, siteId, ip, userAgent);
      return Promise.all([saltFor(day), saltFor(yesterday)]).then(([t, p]) => ids(t, p, siteId, ip, userAgent));
    },
  };
}

type VisitorIds = { visitorId: string; previousVisitorId: string };

/**
 * A keyed hash folded to a UInt64 (as decimal text, since JSON numbers lose precision past 2^53):
 * the first 64 bits of SHA-256 over the secret salt followed by site, IP and user agent. Without
 * the salt nobody can compute or test an id; cut to 64 bits, the digest cannot be extended either
 * (what makes HMAC's double hash necessary for full-length MACs), and the one-shot hash costs a
 * third of an HMAC, which mattered twice per hit on the hottest path.
 */
export function visitorId(salt: string, siteId: string, ip: string, userAgent: string): string {
  return BigInt(`0x${hash('sha256', `${salt}\n${siteId}\n${ip}\n${userAgent}`).slice(0, 16)}`).toString();
}

export function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}
