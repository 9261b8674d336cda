export { startTestStores, createTestDatabase, type TestStores } from './stores.ts';
export { spawnProcess, waitForHttp, type SpawnedProcess } from './process.ts';
export { startDev, devPorts, devDataDir, type DevPorts, type DevUrls } from './dev.ts';
export { launchChromium, screenshotPath } from './browser.ts';
export { startLocalSes, linkIn, type LocalSes, type SentEmail } from './ses.ts';
// The factories are accounts' own (one set for every test); the ingest tests know them by these names.
export {
  createTestSite,
  createTestAccessKey,
  seedTrafficFilter as addTrafficFilter,
  type TestSite,
} from '@spur/accounts/testing';
export { startIngestHarness, query, type IngestHarness } from './ingest.ts';
export { startLocalS3, type LocalS3 } from '@spur/storage/embedded';
export { startRedisHa, type RedisHa, type RedisNode } from './redis-ha.ts';
export { startPostgresHa, type PostgresHa } from './postgres-ha.ts';
export { startPostgres15, PG15_BIN, type Postgres15 } from './postgres15.ts';
