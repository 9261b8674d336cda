import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RunningServer = {
  server: http.Server;
  port: number;
  url: string;
  /** Stops accepting, lets in-flight requests finish, closes idle keep-alive sockets. */
  close: () => Promise<void>;
};

/**
 * `options.draining`: while it returns true, every response carries `Connection: close`, so a
 * balancer's pooled keep-alive connections are gone before the listener closes instead of being
 * cut under a request it is just sending.
 */
export async function listen(
  handler: http.RequestListener,
  port: number,
  host: string,
  options: { draining?: () => boolean } = {},
): Promise<RunningServer> {
  const draining = options.draining;
  const server = http.createServer(
    draining
      ? (req, res) => {
          if (draining()) res.setHeader('connection', 'close');
          handler(req, res);
        }
      : handler,
  );
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
