import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type pg from 'pg';
import type { Config } from '@spur/config';
import type { Logger } from '@spur/runtime';
import type { ObjectStore } from '@spur/storage';

/**
 * Nightly `pg_dump -Fc` streamed into S3 (multipart: the dump never lands on local disk), with
 * size and SHA-256 recorded in `backup`, and the newest BACKUP_KEEP kept. pg_dump refuses a
 * server of a newer major version than itself, so the versions are compared first and the job
 * fails with a message saying what to install.
 */
type BackupConfig = Pick<Config, 'PG_BIN_DIR' | 'BACKUP_KEEP'>;

export async function serverMajor(db: pg.Pool): Promise<{ major: number; version: string }> {
  const { rows } = await db.query<{ num: string; version: string }>(
    `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version`,
  );
  return { major: Math.floor(Number(rows[0]!.num) / 10_000), version: rows[0]!.version };
}

/** PG_BIN_DIR, else Debian's directory for the server's major version, else PATH. */
export async function pgBin(config: Pick<Config, 'PG_BIN_DIR'>, major: number, tool: 'pg_dump' | 'pg_restore') {
  if (config.PG_BIN_DIR) return path.join(config.PG_BIN_DIR, tool);
  const debian = `/usr/lib/postgresql/${major}/bin/${tool}`;
  return access(debian).then(
    () => debian,
    () => tool,
  );
}

function run(command: string, args: string[], input?: Readable) {
  const child = spawn(command, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
  if (input) input.pipe(child.stdin!);
  return { child, exited, stderr: () => stderr.trim() };
}

export async function toolMajor(bin: string): Promise<number> {
  const p = run(bin, ['--version']);
  let out = '';
  p.child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  if ((await p.exited) !== 0) throw new Error(`${bin} --version failed: ${p.stderr()}`);
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(out);
  if (!match) throw new Error(`cannot read the version of ${bin}: ${out.trim()}`);
  return Number(match[1]);
}

export function connectionString(db: pg.Pool): string {
  const url = db.options.connectionString;
  if (!url) throw new Error('the Postgres pool has no connection string');
  return url;
}

/** Throws the message an operator needs when pg_dump is older than the server. */
export async function checkDumpVersion(db: pg.Pool, config: Pick<Config, 'PG_BIN_DIR'>) {
  const server = await serverMajor(db);
  const bin = await pgBin(config, server.major, 'pg_dump');
  const client = await toolMajor(bin).catch((error: Error) => {
    throw new Error(
      `pg_dump not found (${error.message}); install postgresql-client-${server.major} or set PG_BIN_DIR`,
    );
  });
  if (client < server.major)
    throw new Error(
      `pg_dump ${client} cannot dump a PostgreSQL ${server.major} server (${bin}); install postgresql-client-${server.major} or set PG_BIN_DIR to its bin directory`,
    );
  return { bin, server };
}

export async function backupPostgres(deps: {
  db: pg.Pool;
  objects: ObjectStore;
  config: BackupConfig;
  log: Logger;
  now?: Date;
}): Promise<{ key: string; size: number; sha256: string; deleted: string[] }> {
  const { bin, server } = await checkDumpVersion(deps.db, deps.config);
  const stamp = (deps.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const key = `backups/postgres/${stamp}.dump`;
  const { rows } = await deps.db.query<{ id: string }>(
    `INSERT INTO backup (kind, s3_key, status, server_version) VALUES ('postgres', $1, 'running', $2) RETURNING id::text`,
    [key, server.version],
  );
  const id = rows[0]!.id;
  try {
    const dump = run(bin, [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      `--dbname=${connectionString(deps.db)}`,
    ]);
    const [stored, code] = await Promise.all([
      deps.objects.putStream(key, dump.child.stdout!, 'application/octet-stream'),
      dump.exited,
    ]);
    if (code !== 0) {
      await deps.objects.delete(key).catch(() => undefined);
      throw new Error(`pg_dump exited with ${code}: ${dump.stderr()}`);
    }
    await deps.db.query(
      `UPDATE backup SET status = 'done', size_bytes = $2, sha256 = $3, finished_at = now() WHERE id = $1`,
      [id, stored.size, stored.sha256],
    );
    const deleted = await pruneBackups(deps, 'postgres');
    return { key, ...stored, deleted };
  } catch (error) {
    await deps.db.query(`UPDATE backup SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [
      id,
      error instanceof Error ? error.message.slice(0, 2000) : String(error),
    ]);
    throw error;
  }
}

/** Deletes all but the newest BACKUP_KEEP finished backups of a kind from S3. */
export async function pruneBackups(
  deps: { db: pg.Pool; objects: ObjectStore; config: Pick<Config, 'BACKUP_KEEP'> },
  kind: 'postgres' | 'clickhouse',
): Promise<string[]> {
  const { rows } = await deps.db.query<{ id: string; s3_key: string }>(
    `SELECT id::text, s3_key FROM backup WHERE kind = $1 AND status = 'done' ORDER BY started_at DESC, id DESC OFFSET $2`,
    [kind, deps.config.BACKUP_KEEP],
  );
  for (const row of rows) {
    await deps.objects.delete(row.s3_key);
    await deps.db.query(`UPDATE backup SET status = 'deleted' WHERE id = $1`, [row.id]);
  }
  return rows.map((r) => r.s3_key);
}

/**
 * `backup:restore`: streams a dump from S3 into pg_restore against `into` (an empty database),
 * after checking its SHA-256 against the recorded one when the record is there.
 */
export async function restorePostgres(deps: {
  objects: ObjectStore;
  key: string;
  into: string;
  config: Pick<Config, 'PG_BIN_DIR'>;
  expectedSha256?: string;
}): Promise<{ key: string; into: string; bytes: number }> {
  const object = await deps.objects.get(deps.key);
  if (!object) throw new Error(`key: no backup ${deps.key} in the bucket`);
  if (deps.expectedSha256) {
    const { createHash } = await import('node:crypto');
    const actual = createHash('sha256').update(object.body).digest('hex');
    if (actual !== deps.expectedSha256)
      throw new Error(`key: ${deps.key} does not match its recorded SHA-256 (${actual} ≠ ${deps.expectedSha256})`);
  }
  const target = new URL(deps.into);
  const pgModule = await import('pg');
  const probe = new pgModule.default.Pool({ connectionString: deps.into, max: 1 });
  let major: number;
  try {
    major = (await serverMajor(probe)).major;
  } finally {
    await probe.end();
  }
  const bin = await pgBin(deps.config, major, 'pg_restore');
  const { Readable } = await import('node:stream');
  const restore = run(
    bin,
    ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${deps.into}`],
    Readable.from(object.body),
  );
  const code = await restore.exited;
  if (code !== 0)
    throw new Error(`pg_restore into ${target.pathname.slice(1)} exited with ${code}: ${restore.stderr()}`);
  return { key: deps.key, into: target.pathname.slice(1), bytes: object.body.length };
}
