import fs from 'node:fs/promises';
import path from 'node:path';
import { freePort, type Logger } from '@spur/runtime';
import { spawnServer, stopStaleServer } from './child-server.ts';

export type EmbeddedRedis = { url: string; pid: number; stop: () => Promise<void> };

export const REDIS_MISSING_MESSAGE =
  'redis-server was not found on PATH. Install it (`apt-get install redis-server` on Debian/Ubuntu, ' +
  '`brew install redis` on macOS), run `docker compose up redis` and set REDIS_URL, or point REDIS_URL at any Redis 7.';

/**
 * A `redis-server` child with append-only persistence under `dir`. `appendfsync everysec` is
 * Redis' default: an acknowledged write can be lost only if the machine (not just the process)
 * dies within that second.
 */
export async function startEmbeddedRedis(options: {
  dir: string;
  log: Logger;
  searchPath: string;
  port?: number;
}): Promise<EmbeddedRedis> {
  const log = options.log.child({ component: 'embedded-redis' });
  const command = await findOnPath('redis-server', options.searchPath);
  if (!command) throw new Error(REDIS_MISSING_MESSAGE);
  const dir = path.resolve(options.dir);
  await fs.mkdir(dir, { recursive: true });
  const pidFile = path.join(dir, 'redis.pid');
  await stopStaleServer({ pidFile, expected: 'redis-server', signal: 'SIGTERM', log });

  const port = options.port ?? (await freePort());
  const server = await spawnServer({
    name: 'redis',
    command,
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--pidfile',
      pidFile,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
    ],
    ready: /Ready to accept connections/,
    stopSignal: 'SIGTERM', // Redis fsyncs the AOF and exits
    log,
  });
  return { url: `redis://127.0.0.1:${port}`, pid: server.pid, stop: () => server.stop() };
}

export async function findOnPath(binary: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, binary);
    try {
      await fs.access(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}
