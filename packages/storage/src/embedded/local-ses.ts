import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@spur/runtime';

export type LocalSesServer = { endpoint: string; stop: () => Promise<void> };

const CLI = fileURLToPath(new URL('../../../../node_modules/aws-ses-v2-local/dist/cli.js', import.meta.url));

/**
 * `npm run dev`'s SES stand-in (aws-ses-v2-local, a root dev dependency) as a child on a free
 * port: the mail Spur sends in development can be read at its web page (and `GET /store`).
 */
export async function startLocalSesServer(): Promise<LocalSesServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, '--port', String(port), '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local SES did not start:\n${output}`)), 30_000);
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      if (/server running/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the local SES exited (${code}):\n${output}`));
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => {
        child.once('exit', r);
        setTimeout(r, 3_000);
      });
    },
  };
}
