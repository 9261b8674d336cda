/**
 * `npm run dev`: the whole product in one process on embedded engines. chdb binds one data
 * directory per process, so backend, batches and website share this process and its stores;
 * the dashboard runs as a Vite dev server that proxies /api to the backend.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBackend } from '@spur/backend';
import { createWorkers, startBatches } from '@spur/batches';
import { loadConfigOrExit } from '@spur/config';
import { createLogger, Lifecycle } from '@spur/runtime';
import { migrate, openStores } from '@spur/storage';
import { startWebsite } from '@spur/website';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const loaded = loadConfigOrExit();
const log = createLogger(loaded, 'dev');
const lifecycle = new Lifecycle(log, loaded.SHUTDOWN_TIMEOUT_MS);
lifecycle.handleSignals();

try {
  // Without S3_ENDPOINT the local S3 stand-in (s3rver) keeps reports, backups and images under DATA_DIR/s3.
  const { startLocalS3, startLocalSesServer } = await import('@spur/storage/embedded');
  const s3 = loaded.S3_ENDPOINT ? undefined : await startLocalS3({ directory: path.join(loaded.dataDir, 's3') });
  if (s3) lifecycle.onStop('local s3', s3.stop);
  // Without SES_ENDPOINT the local SES stand-in receives every email; its web page shows them.
  const ses = loaded.SES_ENDPOINT ? undefined : await startLocalSesServer();
  if (ses) lifecycle.onStop('local ses', ses.stop);
  const config = Object.freeze({ ...loaded, ...s3?.env, ...(ses ? { SES_ENDPOINT: ses.endpoint } : {}) });
  const stores = await openStores(config, log);
  lifecycle.onStop('stores', stores.close);
  const applied = await migrate(stores, log);
  log.info(applied, 'migrations up to date');

  const backend = await startBackend({ config, stores, log, lifecycle });
  const batches = await startBatches({ config, stores, log, lifecycle, workers: createWorkers({ config, stores }) });
  const website = await startWebsite({ config, log, lifecycle });

  // Middleware mode: our own HTTP server and lifecycle own the port and the signals (a standalone
  // Vite server installs its own SIGTERM handler that exits before the stores are closed).
  const { createServer } = await import('vite');
  const http = await import('node:http');
  const dashboardHttp = http.createServer();
  const vite = await createServer({
    configFile: path.join(root, 'dashboard', 'vite.config.ts'),
    root: path.join(root, 'dashboard'),
    appType: 'spa',
    server: { middlewareMode: true, hmr: { server: dashboardHttp }, proxy: { '/api': backend.url } },
    logLevel: 'warn',
  });
  dashboardHttp.on('request', vite.middlewares);
  await new Promise<void>((resolve, reject) => {
    dashboardHttp.once('error', reject);
    dashboardHttp.listen(config.DASHBOARD_PORT, config.HOST, resolve);
  });
  lifecycle.onStop('dashboard dev server', async () => {
    await vite.close();
    dashboardHttp.closeAllConnections();
    await new Promise((resolve) => dashboardHttp.close(resolve));
  });

  // The demo data is generated in the background: the servers answer at once, the numbers fill in.
  let demoLine = '  demo       (SEED_DEMO=false: no demo data)';
  if (config.SEED_DEMO) {
    const { seedDemo, DEMO_LOGIN, runDemoTrickle, demoTrickleSites } = await import('@spur/demo');
    const abort = new AbortController();
    const seeding = seedDemo({ config, stores, log, signal: abort.signal, days: config.SEED_DEMO_DAYS }).then(
      (demo) => {
        const generated = demo.sites.filter((s) => s.traffic);
        if (generated.length > 0)
          process.stdout.write(
            `Demo traffic ready: ${generated.map((s) => `${s.hostname} ${s.traffic!.pageViews} page views`).join(', ')}\n`,
          );
        // A gentle trickle of live visits keeps the realtime view and "today" moving while dev runs.
        return runDemoTrickle({ redis: stores.redis, sites: demoTrickleSites(demo), signal: abort.signal }).catch(
          (error: unknown) => log.error({ err: error }, 'demo live traffic stopped'),
        );
      },
      (error: unknown) => {
        if (!abort.signal.aborted) log.error({ err: error }, 'demo seeding failed');
      },
    );
    lifecycle.onStop('demo seeding', async () => {
      abort.abort();
      await seeding;
    });
    demoLine = `  demo       log in as ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`;
  }

  process.stdout.write(
    [
      '',
      'Spur is running:',
      `  dashboard  ${config.dashboardUrl}`,
      `  website    ${website.url}`,
      `  api        ${backend.url}   (ready: ${backend.url}/readyz, metrics: ${backend.url}/metrics)`,
      `  batches    ${batches.url}`,
      `  data       ${config.dataDir}`,
      `  s3         ${config.S3_ENDPOINT ?? 'AWS'} (bucket ${config.S3_BUCKET}${s3 ? `, files in ${path.join(config.dataDir, 's3')}` : ''})`,
      `  mail       ${ses ? `${ses.endpoint}   (every email sent, read it here)` : `SES at ${config.SES_ENDPOINT}`}`,
      demoLine,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
} catch (error) {
  log.fatal({ err: error }, 'npm run dev failed to start');
  await lifecycle.stop('startup failure').catch(() => undefined);
  process.exit(1);
}
