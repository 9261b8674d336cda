/**
 * The two servers bench:ingest compares, each run as its own process (argv[2]):
 *   spur — the real backend on embedded engines, with one demo site;
 *   bare — node:http that only reads and parses the JSON body: the ceiling for any Node handler.
 */
import type http from 'node:http';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startBackend } from '@spur/backend';
import { loadConfig } from '@spur/config';
import { createLogger, Lifecycle, listen } from '@spur/runtime';
import { migrate, openStores } from '@spur/storage';

const mode = process.argv[2];
if (mode === 'bare') {
  const server = await listen(
    (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end();
      });
    },
    0,
    '127.0.0.1',
  );
  process.stdout.write(`listening ${server.url}\n`);
} else {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-bench-'));
  await fs.chmod(dataDir, 0o755);
  const config = loadConfig({ DATA_DIR: dataDir, BACKEND_PORT: '0', TRUSTED_PROXIES: '127.0.0.1', LOG_LEVEL: 'warn' });
  const log = createLogger(config, 'bench');
  const lifecycle = new Lifecycle(log, 10_000);
  const stores = await openStores(config, log);
  lifecycle.onStop('stores', stores.close);
  lifecycle.onStop('data', () => fs.rm(dataDir, { recursive: true, force: true }));
  await migrate(stores, log);
  const org = await stores.postgres.pool.query<{ id: string }>("INSERT INTO organization (name) VALUES ('bench') RETURNING id");
  await stores.postgres.pool.query(
    "INSERT INTO site (organization_id, hostname, name, identification_code) VALUES ($1, 'bench.example', 'bench', $2)",
    [org.rows[0]!.id, 'benchbenchbenchbenchbenchbench12'],
  );
  const server = await startBackend({ config, stores, log, lifecycle });
  lifecycle.handleSignals();
  process.stdout.write(`listening ${server.url}\n`);
}
