import { createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const DAY_MS = 86_400_000;

/**
 * The daily random salt behind visitor ids, shared by every backend node through Redis and
 * created by whichever node needs it first (SET NX). Salts expire two days after their day
 * started, so yesterday's remains usable for visits that span midnight, and after that a visitor
 * id can no longer be recomputed from an IP address and user agent by anyone, including us.
 */
export function createSaltStore(redis: Redis) {
  const local = new Map<string, Buffer>();

  async function saltFor(day: string): Promise<Buffer> {
    const known = local.get(day);
    if (known) return known;
    const key = `spur:salt:${day}`;
    const dayStart = Date.parse(`${day}T00:00:00Z`);
    const expiresAt = dayStart + 2 * DAY_MS;
    const fresh = randomBytes(32).toString('base64');
    await redis.set(key, fresh, 'PXAT', expiresAt, 'NX');
    const value = await redis.get(key);
    const salt = Buffer.from(value ?? fresh, 'base64');
    if (local.size > 4) local.clear();
    local.set(day, salt);
    return salt;
  }

  const ids = (today: Buffer, previous: Buffer, siteId: string, ip: string, userAgent: string) => ({
    visitorId: visitorId(today, siteId, ip, userAgent),
    previousVisitorId: visitorId(previous, siteId, ip, userAgent),
  });

  return {
    /**
     * Visitor ids for `time`'s UTC day and the day before (for sessions crossing midnight). A plain
     * value once both salts are known locally, which is every hit but the first of a day.
     */
    visitorIds(time: Date, siteId: string, ip: string, userAgent: string): VisitorIds | Promise<VisitorIds> {
      const day = utcDay(time);
      const yesterday = utcDay(new Date(time.getTime() - DAY_MS));
      const today = local.get(day);
      const previous = local.get(yesterday);
      if (today && previous) return ids(today, previous, siteId, ip, userAgent);
      return Promise.all([saltFor(day), saltFor(yesterday)]).then(([t, p]) => ids(t, p, siteId, ip, userAgent));
    },
  };
}

type VisitorIds = { visitorId: string; previousVisitorId: string };

/** A keyed hash folded to a UInt64 (as decimal text, since JSON numbers lose precision past 2^53). */
export function visitorId(salt: Buffer, siteId: string, ip: string, userAgent: string): string {
  const digest = createHmac('sha256', salt).update(`${siteId}\n${ip}\n${userAgent}`).digest();
  return digest.readBigUInt64BE(0).toString();
}

export function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}
