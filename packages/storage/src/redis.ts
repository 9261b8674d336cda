import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/** Where Redis is: one URL, or the sentinels that know the current primary (REDIS_SENTINELS). */
export type RedisTarget = {
  url: string;
  sentinels?: { host: string; port: number }[];
  masterName?: string;
};

/**
 * The one way Spur opens Redis: every other connection is a `duplicate()` of one opened here, so it
 * follows the same primary through a Sentinel failover. With sentinels, ioredis asks them for the
 * primary on every (re)connect and checks the node's role, so after a promotion it lands on the new
 * primary; the URL then only lends its password, database and TLS.
 */
export function openRedis(target: string | RedisTarget, name = 'spur'): Redis {
  const { url, sentinels = [], masterName = 'spur' } = typeof target === 'string' ? { url: target } : target;
  const options: RedisOptions = {
    connectionName: name,
    // Commands wait for a reconnect instead of failing at once; callers bound them with timeouts.
    maxRetriesPerRequest: 3,
    enableAutoPipelining: true,
    lazyConnect: false,
  };
  if (sentinels.length === 0) return new Redis(url, options);
  const parsed = new URL(url);
  return new Redis({
    ...options,
    sentinels,
    name: masterName,
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    db: Number(parsed.pathname.slice(1) || 0),
    ...(parsed.protocol === 'rediss:' ? { tls: {}, enableTLSForSentinelMode: true } : {}),
    // Not ioredis' failoverDetector: in the failover test a +switch-master that arrived while a
    // connection was already reconnecting left it ended for good ("Connection is closed").
    // A dead process's sockets are reset at once anyway; a vanished machine is noticed by keepalive.
    keepAlive: 5_000,
    sentinelRetryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    retryStrategy: (attempt) => Math.min(attempt * 50, 500),
  });
}

/**
 * A connection for writes that are acknowledged to a client (ingest's session updates). ioredis
 * resends commands that were in flight when a connection dropped; for those writes that is wrong:
 * the first copy may have been applied and replicated by the old primary, so the resent one would
 * count a hit twice. This connection never resends; its user fails those writes with a 503
 * (ingest's session/acknowledged-writes.ts), and only writes never sent (offline queue) go out after a reconnect.
 */
export function openAcknowledgedWriter(redis: Redis, name = 'spur-ingest'): Redis {
  return redis.duplicate({ autoResendUnfulfilledCommands: false, connectionName: name });
}

/** Resolves the Redis target from configuration, with an embedded server's URL as the fallback. */
export function redisTarget(
  config: { REDIS_URL?: string | undefined; REDIS_SENTINELS: RedisTarget['sentinels']; REDIS_MASTER_NAME: string },
  fallbackUrl?: string,
): RedisTarget {
  const url = config.REDIS_URL ?? fallbackUrl ?? 'redis://127.0.0.1:6379';
  return { url, sentinels: config.REDIS_SENTINELS ?? [], masterName: config.REDIS_MASTER_NAME };
}
