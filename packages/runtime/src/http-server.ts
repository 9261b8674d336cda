import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RunningServer = {
  server: http.Server;
  port: number;
  url: string;
  /** Stops accepting, lets in-flight requests finish, closes idle keep-alive sockets. */
  close: () => Promise<void>;
};

export async function listen(handler: http.RequestListener, port: number, host: string): Promise<RunningServer> {
  const server = http.createServer(handler);
  // Keep-alive sockets from load balancers must not hold shutdown open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    port: actual,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
