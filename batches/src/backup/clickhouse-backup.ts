import type pg from 'pg';
import type { Config } from '@spur/config';
import type { Logger } from '@spur/runtime';
import type { ClickHouseClient, ObjectStore } from '@spur/storage';
import { pruneBackups } from './postgres-backup.ts';

/**
 * Nightly `BACKUP DATABASE … TO S3(…)` on a ClickHouse server: the server writes the backup into
 * our bucket itself. Restore (documented in README): `RESTORE DATABASE spur FROM S3('<url>', …)`.
 * Embedded chdb has no server to run it: the job says so and does nothing (back up DATA_DIR).
 */
type ClickHouseBackupConfig = Pick<
  Config,
  | 'CLICKHOUSE_URL'
  | 'CLICKHOUSE_DATABASE'
  | 'S3_ENDPOINT'
  | 'S3_BUCKET'
  | 'S3_REGION'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
  | 'BACKUP_KEEP'
>;

// BACKUP takes no query parameters: values are operator configuration, quoted as string literals.
const literal = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function clickHouseBackupUrl(config: ClickHouseBackupConfig, key: string): string {
  return config.S3_ENDPOINT
    ? `${config.S3_ENDPOINT.replace(/\/$/, '')}/${config.S3_BUCKET}/${key}`
    : `https://${config.S3_BUCKET}.s3.${config.S3_REGION}.amazonaws.com/${key}`;
}

export async function backupClickHouse(deps: {
  db: pg.Pool;
  clickhouse: ClickHouseClient;
  objects: ObjectStore;
  config: ClickHouseBackupConfig;
  log: Logger;
  now?: Date;
}): Promise<Record<string, unknown>> {
  if (!deps.config.CLICKHOUSE_URL) {
    const reason =
      'embedded ClickHouse (chdb) cannot run BACKUP to S3; ClickHouse backup skipped (copy DATA_DIR/clickhouse instead)';
    deps.log.info(reason);
    return { skipped: reason };
  }
  const key = `backups/clickhouse/${(deps.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}`;
  const url = clickHouseBackupUrl(deps.config, key);
  const credentials =
    deps.config.S3_ACCESS_KEY_ID && deps.config.S3_SECRET_ACCESS_KEY
      ? `, ${literal(deps.config.S3_ACCESS_KEY_ID)}, ${literal(deps.config.S3_SECRET_ACCESS_KEY)}`
      : '';
  const { rows } = await deps.db.query<{ id: string }>(
    `INSERT INTO backup (kind, s3_key, status) VALUES ('clickhouse', $1, 'running') RETURNING id::text`,
    [key],
  );
  try {
    await deps.clickhouse.command({
      query: `BACKUP DATABASE ${deps.config.CLICKHOUSE_DATABASE} TO S3(${literal(url)}${credentials})`,
    });
    const size = (await deps.objects.list(`${key}/`)).reduce((sum, o) => sum + o.size, 0);
    await deps.db.query(`UPDATE backup SET status = 'done', size_bytes = $2, finished_at = now() WHERE id = $1`, [
      rows[0]!.id,
      size,
    ]);
  } catch (error) {
    await deps.db.query(`UPDATE backup SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [
      rows[0]!.id,
      error instanceof Error ? error.message.slice(0, 2000) : String(error),
    ]);
    throw error;
  }
  // A ClickHouse backup is a folder of objects: prune them folder by folder.
  const old = await pruneBackupFolders(deps);
  return { key, url, deleted: old };
}

async function pruneBackupFolders(deps: { db: pg.Pool; objects: ObjectStore; config: Pick<Config, 'BACKUP_KEEP'> }) {
  const folders = {
    ...deps.objects,
    delete: async (prefix: string) => {
      for (const o of await deps.objects.list(`${prefix}/`)) await deps.objects.delete(o.key);
    },
  };
  return pruneBackups({ ...deps, objects: folders }, 'clickhouse');
}
