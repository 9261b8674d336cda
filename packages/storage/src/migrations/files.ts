import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Migration = { version: number; name: string; sql: string; checksum: string };

export const MIGRATIONS_DIR = {
  postgres: fileURLToPath(new URL('../../migrations/postgres', import.meta.url)),
  clickhouse: fileURLToPath(new URL('../../migrations/clickhouse', import.meta.url)),
};

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Numbered, forward-only SQL files, in order. A gap or a duplicate number is a bug. */
export async function readMigrations(dir: string): Promise<Migration[]> {
  const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of names) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`Migration file ${file} must be named NNNN_lower_snake_name.sql`);
    const version = Number(match[1]);
    const expected = migrations.length + 1;
    if (version !== expected)
      throw new Error(`Migration ${file}: expected number ${String(expected).padStart(4, '0')}`);
    const sql = await fs.readFile(path.join(dir, file), 'utf8');
    migrations.push({ version, name: match[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

/** A file that ran must never change: forward-only means a new file, not an edit. */
export function assertUnchanged(migration: Migration, recordedChecksum: string, store: string): void {
  if (recordedChecksum !== migration.checksum) {
    throw new Error(
      `${store} migration ${migration.version}_${migration.name} changed after it was applied; add a new migration instead`,
    );
  }
}

/** Splits a file into statements at semicolons that end a line (ClickHouse takes one per request). */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}
