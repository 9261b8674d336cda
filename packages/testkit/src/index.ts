export { startTestStores, createTestDatabase, type TestStores } from './stores.ts';
export { spawnProcess, waitForHttp, type SpawnedProcess } from './process.ts';
