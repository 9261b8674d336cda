import type pg from 'pg';
import { z } from 'zod';
import type { Config } from '@spur/config';
import { openObjectStore } from '@spur/storage';
import { restorePostgres } from '../backup/postgres-backup.ts';

export const BACKUP_HELP: Record<string, string> = {
  'backup:list': 'the backups recorded (kind, S3 key, status, size, SHA-256), newest first',
  'backup:restore':
    'backup:restore --key K --into URL: restore a Postgres backup from S3 into the (empty) database at URL, checking its SHA-256',
};

const restoreOptions = z
  .object({
    key: z.string().min(1, 'give the S3 key of the backup (see backup:list)'),
    into: z.string().refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// URL of an empty database'),
  })
  .strict();

function options(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(arg)}; options look like --key K`);
    out[arg.slice(2)] = args[i + 1] ?? '';
    i += 1;
  }
  return out;
}

export async function runBackupCommand(db: pg.Pool, config: Config, name: string, args: string[]): Promise<unknown> {
  if (name === 'backup:list') {
    const { rows } = await db.query(
      `SELECT kind, s3_key, status, size_bytes::float8 AS size_bytes, sha256, server_version, error,
              to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS started_at
       FROM backup ORDER BY started_at DESC, id DESC LIMIT 100`,
    );
    return { backups: rows };
  }
  if (name === 'backup:restore') {
    const { key, into } = restoreOptions.parse(options(args));
    const recorded = await db.query<{ sha256: string | null }>('SELECT sha256 FROM backup WHERE s3_key = $1', [key]);
    const objects = openObjectStore(config);
    try {
      return await restorePostgres({
        objects,
        key,
        into,
        config,
        ...(recorded.rows[0]?.sha256 ? { expectedSha256: recorded.rows[0].sha256 } : {}),
      });
    } finally {
      objects.close();
    }
  }
  throw new Error(`unknown command ${JSON.stringify(name)}`);
}
