// @vitest-environment node
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@spur/runtime';

const dashboard = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = path.dirname(dashboard);
const dataDir = path.join(repo, '.data');
const secretFile = path.join(dataDir, `vite-test-${process.pid}.password`);
const secret = randomBytes(16).toString('hex');

let server: ViteDevServer;
let port: number;
let previewServer: PreviewServer | undefined;
let dist: string | undefined;
let createdDataDir = false;

/** A raw request: fetch would normalize `..` out of the path before Vite sees it. */
function get(
  requestPath: string,
  headers: Record<string, string> = {},
  method = 'GET',
  at = port,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: at, path: requestPath, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  // The data directory `npm run dev` uses by default, with a password file in it, as on a developer's machine.
  createdDataDir = !(await fs.stat(dataDir).catch(() => undefined));
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(secretFile, secret);
  port = await freePort();
  server = await createServer({
    configFile: path.join(dashboard, 'vite.config.ts'),
    root: dashboard,
    server: { host: '127.0.0.1', port, strictPort: true, hmr: false, watch: null },
    logLevel: 'silent',
  });
  await server.listen();
});

afterAll(async () => {
  await server?.close();
  await previewServer?.close();
  if (dist) await fs.rm(dist, { recursive: true, force: true });
  await fs.rm(secretFile, { force: true });
  if (createdDataDir) await fs.rmdir(dataDir).catch(() => undefined);
});

describe('dashboard dev server', () => {
  it('refuses the data directory, also by a path that climbs out of the dashboard', async () => {
    for (const requestPath of [
      `/@fs${secretFile}`,
      `/@fs${dashboard}/../.data/${path.basename(secretFile)}`,
      `/@fs${dashboard}/src/../../.data/${path.basename(secretFile)}`,
    ]) {
      const res = await get(requestPath);
      expect(res.status, requestPath).toBe(403);
      expect(res.body).not.toContain(secret);
    }
  });

  it('refuses files outside what the dashboard needs, and env files inside it', async () => {
    for (const file of ['package.json', '.env.example', 'packages/config/src/schema.ts', 'dashboard/../README.md']) {
      const res = await get(`/@fs${repo}/${file}`);
      expect(res.status, file).toBe(403);
    }
  });

  it('still serves the dashboard and its modules', async () => {
    const main = await get('/src/main.ts');
    expect(main.status).toBe(200);
    expect(main.body).toContain('createApp');
    const byPath = await get(`/@fs${dashboard}/src/main.ts`);
    expect(byPath.status).toBe(200);
    const vue = await get('/@vite/client');
    expect(vue.status).toBe(200);
  });

  it('sends no CORS headers, to a localhost origin neither', async () => {
    const simple = await get('/src/main.ts', { origin: 'http://localhost:4444' });
    expect(simple.status).toBe(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await get(
      '/src/main.ts',
      { origin: 'http://127.0.0.1:4444', 'access-control-request-method': 'GET' },
      'OPTIONS',
    );
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('and `vite preview`, which serves a build as production would, hands out only the build', async () => {
    // A stand-in build: what `vite build` writes to dist/ (building here would take half a minute).
    dist = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-dist-'));
    await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Spur</title>');
    const previewPort = await freePort();
    previewServer = await preview({
      configFile: path.join(dashboard, 'vite.config.ts'),
      root: dashboard,
      build: { outDir: dist },
      preview: { host: '127.0.0.1', port: previewPort, strictPort: true },
      logLevel: 'silent',
    });
    for (const requestPath of [`/@fs${secretFile}`, `/../.data/${path.basename(secretFile)}`, '/../package.json']) {
      const res = await get(requestPath, { origin: 'http://localhost:4444' }, 'GET', previewPort);
      expect(res.body, requestPath).not.toContain(secret);
      expect(res.body, requestPath).not.toContain('"workspaces"');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});
