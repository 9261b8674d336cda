/**
 * `npm run seed`: creates the demo account and generates its traffic now, then waits until every
 * row is in ClickHouse. Run it while `npm run dev` is stopped (chdb allows one process per data dir).
 */
import { createFlusher, INGEST_STREAM } from '@spur/ingest';
import { loadConfigOrExit } from '@spur/config';
import { seedDemo } from '@spur/demo';
import { createLogger } from '@spur/runtime';
import { migrate, openStores } from '@spur/storage';

const config = loadConfigOrExit();
const log = createLogger(config, 'seed');
const stores = await openStores(config, log);
try {
  await migrate(stores, log);
  const flusher = createFlusher({
    redis: stores.redis,
    postgres: stores.postgres.pool,
    clickhouse: stores.clickhouse.client,
    batchRows: config.FLUSH_BATCH_ROWS,
    intervalMs: config.FLUSH_INTERVAL_MS,
    claimIdleMs: config.FLUSH_CLAIM_IDLE_MS,
    log,
  });
  flusher.start();
  const demo = await seedDemo({ config, stores, log, days: config.SEED_DEMO_DAYS });
  while ((await stores.redis.xlen(INGEST_STREAM)) > 0) await new Promise((r) => setTimeout(r, 250));
  await flusher.stop();
  process.stdout.write(`${JSON.stringify(demo, null, 2)}\n`);
} finally {
  await stores.close();
}
