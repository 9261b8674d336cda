import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@spur/runtime';
import { spawnProcess, type SpawnedProcess } from './process.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export type DevPorts = { backend: number; batches: number; website: number; dashboard: number };
export type DevUrls = Record<keyof DevPorts, string>;

export async function devPorts(): Promise<DevPorts> {
  return {
    backend: await freePort(),
    batches: await freePort(),
    website: await freePort(),
    dashboard: await freePort(),
  };
}

export async function devDataDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-dev-'));
  await fs.chmod(dir, 0o755); // embedded Postgres runs as the postgres user when we are root
  return dir;
}

/** Runs `npm run dev`'s entry point as a child, the way a developer does, on free ports. */
export async function startDev(options: { dataDir: string; ports: DevPorts; env?: Record<string, string> }) {
  const dev: SpawnedProcess = spawnProcess(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'warn',
      BACKEND_PORT: String(options.ports.backend),
      BATCHES_PORT: String(options.ports.batches),
      WEBSITE_PORT: String(options.ports.website),
      DASHBOARD_PORT: String(options.ports.dashboard),
      // Demo data takes a minute of both cores; tests that want it say so.
      SEED_DEMO: 'false',
      ...options.env,
    },
  });
  try {
    await dev.waitFor(/Press Ctrl-C to stop/, 120_000);
  } catch (error) {
    dev.kill('SIGKILL');
    throw error;
  }
  const urls = Object.fromEntries(
    Object.entries(options.ports).map(([name, port]) => [name, `http://127.0.0.1:${port}`]),
  ) as DevUrls;
  return { process: dev, urls };
}
