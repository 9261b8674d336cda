import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '@spur/runtime';
import { spawnProcess, type SpawnedProcess } from './process.ts';

const run = promisify(execFile);
const PG_BIN = '/usr/lib/postgresql/15/bin';
const PGBOUNCER = '/usr/sbin/pgbouncer';

export type PostgresHa = {
  /** Where services connect: pgbouncer, with the database `spur`. */
  url: string;
  primaryUrl: string;
  standbyUrl: string;
  /** Environment for deploy/postgres/pg-promote.sh promoting this standby. */
  promoteEnv: Record<string, string>;
  /** SIGKILLs the primary's postmaster (its backends exit on their own when it is gone). */
  killPrimary: () => Promise<void>;
  /** SIGKILLs the standby's postmaster: the primary's commits then wait for it (synchronous replication). */
  killStandby: () => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * Debian's PostgreSQL 15 (the production major version) as a primary and a streaming standby with
 * synchronous commit (a COMMIT returns once the standby has the WAL on disk, so a promotion loses no
 * committed change), and pgbouncer in front as the one address services use — the shape of
 * deploy/postgres/. Real child processes on free loopback ports under a temp dir, run as the
 * `postgres` OS user when the test runs as root.
 */
export async function startPostgresHa(): Promise<PostgresHa> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-pg-ha-'));
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? await postgresUser() : {};
  if (asRoot) await fs.chown(dir, ids.uid!, ids.gid!);
  const asPostgres = (file: string, args: string[]) =>
    run(file, args, { ...(asRoot ? { uid: ids.uid, gid: ids.gid } : {}), cwd: dir });
  const started: SpawnedProcess[] = [];
  const stop = async () => {
    // Every child is signalled before any exit is awaited: nothing is left running if one hangs.
    const children = started.splice(0);
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map((child) => child.exited));
    await fs.rm(dir, { recursive: true, force: true });
  };

  try {
    const [primaryPort, standbyPort, bouncerPort] = [await freePort(), await freePort(), await freePort()];
    const primaryDir = path.join(dir, 'primary');
    const standbyDir = path.join(dir, 'standby');
    await asPostgres(`${PG_BIN}/initdb`, ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    await fs.appendFile(
      path.join(primaryDir, 'postgresql.conf'),
      [
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'wal_level = replica',
        'max_wal_senders = 5',
        'hot_standby = on',
        // Every COMMIT waits until a standby has flushed it: the promoted standby has every committed change.
        "synchronous_standby_names = '*'",
        'synchronous_commit = on',
        'fsync = on',
        '',
      ].join('\n'),
    );
    await fs.appendFile(path.join(primaryDir, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\n');
    const startServer = async (dataDir: string, port: number) => {
      const child = spawnProcess(`${PG_BIN}/postgres`, ['-D', dataDir, '-p', String(port)], ids);
      started.push(child);
      await child.waitFor(/database system is ready to accept (read-only )?connections/, 30_000);
      return child;
    };
    const primary = await startServer(primaryDir, primaryPort);
    await asPostgres(`${PG_BIN}/pg_basebackup`, [
      ...['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres'],
      ...['-D', standbyDir, '-R', '-X', 'stream', '--checkpoint=fast'],
    ]);
    const standby = await startServer(standbyDir, standbyPort);

    const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/postgres`;
    const admin = new pg.Client({ connectionString: primaryUrl });
    await admin.connect();
    // Synchronous commit waits for the standby: it must be streaming before anything is written.
    for (let i = 0; ; i++) {
      const { rows } = await admin.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_replication WHERE state = 'streaming'",
      );
      if (rows[0]!.n === '1') break;
      if (i > 150) throw new Error('the standby did not start streaming');
      await new Promise((r) => setTimeout(r, 100));
    }
    await admin.query('CREATE DATABASE spur');
    await admin.end();

    const databasesIni = path.join(dir, 'pgbouncer-databases.ini');
    await fs.writeFile(databasesIni, `* = host=127.0.0.1 port=${primaryPort}\n`);
    await fs.writeFile(path.join(dir, 'userlist.txt'), '"postgres" ""\n');
    const bouncerIni = path.join(dir, 'pgbouncer.ini');
    await fs.writeFile(
      bouncerIni,
      [
        '[databases]',
        `%include ${databasesIni}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${bouncerPort}`,
        "unix_socket_dir = ''",
        'auth_type = trust',
        `auth_file = ${path.join(dir, 'userlist.txt')}`,
        'admin_users = postgres',
        'pool_mode = session',
        'max_client_conn = 200',
        'default_pool_size = 40',
        // Retry a failed server connection after 1 s, not the default 15 s: a promoted standby is
        // used as soon as pgbouncer has reloaded.
        'server_login_retry = 1',
        'server_connect_timeout = 2',
        'query_wait_timeout = 10',
        'ignore_startup_parameters = extra_float_digits,options',
        '',
      ].join('\n'),
    );
    if (asRoot) {
      for (const file of [databasesIni, bouncerIni, path.join(dir, 'userlist.txt')])
        await fs.chown(file, ids.uid!, ids.gid!);
    }
    const bouncer = spawnProcess(PGBOUNCER, [bouncerIni], ids);
    started.push(bouncer);
    await bouncer.waitFor(/process up/, 15_000);

    return {
      url: `postgres://postgres@127.0.0.1:${bouncerPort}/spur`,
      primaryUrl,
      standbyUrl: `postgres://postgres@127.0.0.1:${standbyPort}/postgres`,
      promoteEnv: {
        STANDBY_URL: `postgres://postgres@127.0.0.1:${standbyPort}/postgres`,
        NEW_PRIMARY_HOST: '127.0.0.1',
        NEW_PRIMARY_PORT: String(standbyPort),
        PGBOUNCER_DATABASES_INI: databasesIni,
        PGBOUNCER_ADMIN_URLS: `postgres://postgres@127.0.0.1:${bouncerPort}/pgbouncer`,
        PSQL: '/usr/bin/psql',
      },
      killPrimary: async () => {
        primary.kill('SIGKILL');
        await primary.exited;
      },
      killStandby: async () => {
        standby.kill('SIGKILL');
        await standby.exited;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function postgresUser(): Promise<{ uid?: number; gid?: number }> {
  const passwd = await fs.readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('no postgres OS user: apt-get install postgresql-15');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
