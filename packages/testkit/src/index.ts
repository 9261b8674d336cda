export { startTestStores, createTestDatabase, type TestStores } from './stores.ts';
export { spawnProcess, waitForHttp, type SpawnedProcess } from './process.ts';
export { startDev, devPorts, devDataDir, type DevPorts, type DevUrls } from './dev.ts';
export { launchChromium, screenshotPath } from './browser.ts';
export { startLocalSes, linkIn, type LocalSes, type SentEmail } from './ses.ts';
export { createTestSite, createTestAccessKey, addTrafficFilter, type TestSite } from './factories.ts';
export { startIngestHarness, query, type IngestHarness } from './ingest.ts';
