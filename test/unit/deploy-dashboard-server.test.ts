import fs from 'node:fs';
import type http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '@spur/runtime';
import { createDashboardHandler, publicSubdomainOf } from '../../dashboard/server/dashboard-server.ts';

/**
 * The production dashboard server over a build directory laid out like Vite's, with files beside
 * and inside it that must never be served, and a stand-in backend that echoes what reaches it.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spur-dashboard-server-'));
const dist = path.join(dir, 'dist');
let dashboard: RunningServer;
let backend: RunningServer;
const INDEX = '<!doctype html>\n<html>\n  <head>\n    <title>Spur</title>\n  </head>\n  <body></body>\n</html>\n';

beforeAll(async () => {
  fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dist, 'index.html'), INDEX);
  fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dist, 'favicon.svg'), '<svg/>');
  fs.writeFileSync(path.join(dist, '.env'), 'AUTH_SECRET=inside');
  fs.writeFileSync(path.join(dir, 'secret.password'), 'outside');
  fs.symlinkSync(path.join(dir, 'secret.password'), path.join(dist, 'assets', 'link.txt'));
  backend = await listen(
    (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', 'x-backend': 'yes' });
        res.end(JSON.stringify({ method: req.method, url: req.url, body, cookie: req.headers.cookie ?? null }));
      });
    },
    0,
    '127.0.0.1',
  );
  const handler = await createDashboardHandler({
    distDir: dist,
    backendUrl: backend.url,
    publicDomain: 'spur.example',
  });
  dashboard = await listen(handler, 0, '127.0.0.1');
});
afterAll(async () => {
  await dashboard?.close();
  await backend?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A raw request, so that paths reach the server exactly as written (fetch would normalise `..`). */
function raw(
  target: string,
  host = 'app.spur.example',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(dashboard.port, '127.0.0.1', () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    let text = '';
    socket.on('data', (c) => (text += c.toString()));
    socket.on('error', reject);
    socket.on('end', () => {
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = head!.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      const body = rest.join('\r\n\r\n');
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body });
    });
  });
}

describe('dashboard server', () => {
  it('serves the build: hashed assets cached for good, the app shell never cached', async () => {
    const asset = await raw('/assets/index-abc123.js');
    expect([asset.status, asset.body, asset.headers['content-type'], asset.headers['cache-control']]).toEqual([
      200,
      'console.log(1)',
      'text/javascript; charset=utf-8',
      'public, max-age=31536000, immutable',
    ]);
    const shell = await raw('/sites/42?period=7d');
    expect([shell.status, shell.body, shell.headers['cache-control']]).toEqual([200, INDEX, 'no-cache']);
  });

  it('a missing file is a 404, not the app shell', async () => {
    expect((await raw('/assets/missing.js')).status).toBe(404);
  });

  it.each([
    '/.env',
    '/%2eenv',
    '/assets/../../secret.password',
    '/assets/%2e%2e/%2e%2e/secret.password',
    '/..%2fsecret.password',
    '/assets/link.txt',
    `/@fs${dir}/secret.password`,
    '/assets/..%5c..%5csecret.password',
  ])('never serves %s', async (target) => {
    const response = await raw(target);
    expect(response.status).toBe(404);
    expect(response.body).not.toMatch(/outside|inside/);
  });

  it('passes /api through to the backend with method, path, body and cookies', async () => {
    const response = await fetch(`${dashboard.url}/api/v1/auth/login?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'spur_session=abc' },
      body: '{"email":"a@b.example"}',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-backend')).toBe('yes');
    expect(await response.json()).toEqual({
      method: 'POST',
      url: '/api/v1/auth/login?x=1',
      body: '{"email":"a@b.example"}',
      cookie: 'spur_session=abc',
    });
  });

  it('on <subdomain>.<domain>, the page names the public dashboard to show; on the app host it does not', async () => {
    const onPublicHost = await raw('/', 'acme.spur.example');
    expect(onPublicHost.body).toContain('<meta name="spur-public-subdomain" content="acme" />');
    expect((await raw('/', 'app.spur.example')).body).toBe(INDEX);
    expect((await raw('/index.html', 'acme.spur.example')).body).toContain('content="acme"');
  });

  it('reads the subdomain only from hosts under the public domain, never Spur’s own', () => {
    expect(publicSubdomainOf('acme.spur.example', 'spur.example')).toBe('acme');
    expect(publicSubdomainOf('ACME.spur.example:443', 'spur.example')).toBe('acme');
    for (const host of [
      'app.spur.example',
      'api.spur.example',
      'www.spur.example',
      'spur.example',
      'a.b.spur.example',
      'acme.evil.example',
      '-x.spur.example',
    ])
      expect(publicSubdomainOf(host, 'spur.example'), host).toBeUndefined();
    expect(publicSubdomainOf('acme.spur.example', undefined)).toBeUndefined();
  });
});
