import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type LocalSesServer = { endpoint: string; stop: () => Promise<void> };

/**
 * `npm run dev`'s SES stand-in (aws-ses-v2-local, a root dev dependency) in this process on a
 * free port, so it cannot outlive a `kill -9` of `npm run dev`: the mail Spur sends in development
 * can be read at its web page (and `GET /store`).
 */
export async function startLocalSesServer(): Promise<LocalSesServer> {
  const module = (await import('aws-ses-v2-local')) as unknown as {
    default:
      ((config: { host: string; port: number }) => Promise<Server>) | { default: (c: object) => Promise<Server> };
  };
  const start = typeof module.default === 'function' ? module.default : module.default.default;
  const server = await start({ host: '127.0.0.1', port: 0 });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
