import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createLogger } from '@spur/runtime';

/**
 * One real PostgreSQL server for the whole test run (initdb costs about a second); each test file
 * gets its own database on it. Redis and chdb are cheap enough to start per file.
 */
export default async function setup(project: TestProject) {
  const { startEmbeddedPostgres } = await import('@spur/storage/embedded');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-test-pg-'));
  await fs.chmod(dir, 0o755);
  const log = createLogger({ LOG_LEVEL: 'warn' }, 'test-postgres');
  const server = await startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), log, database: 'postgres' });
  project.provide('postgresAdminUrl', server.url);
  return async () => {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  };
}
