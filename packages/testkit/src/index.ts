export { startTestStores, createTestDatabase, type TestStores } from './stores.ts';
export { spawnProcess, waitForHttp, type SpawnedProcess } from './process.ts';
export { startDev, devPorts, devDataDir, type DevPorts, type DevUrls } from './dev.ts';
export { launchChromium, screenshotPath } from './browser.ts';
