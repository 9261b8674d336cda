import { Redis } from 'ioredis';

export type { Redis };

export function openRedis(url: string, name = 'spur'): Redis {
  return new Redis(url, {
    connectionName: name,
    // Commands wait for a reconnect instead of failing at once; callers bound them with timeouts.
    maxRetriesPerRequest: 3,
    enableAutoPipelining: true,
    lazyConnect: false,
  });
}
