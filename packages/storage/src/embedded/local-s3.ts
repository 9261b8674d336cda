import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export type LocalS3 = {
  /** S3_ENDPOINT for the processes under test; any credentials work (s3rver checks none). */
  endpoint: string;
  bucket: string;
  /** Config overrides pointing Spur at this server. */
  env: Record<string, string>;
  stop: () => Promise<void>;
};

/**
 * The local S3 stand-in for `npm run dev` and the tests (s3rver, a real S3 wire-protocol server
 * on the filesystem, a root dev dependency) on a free port, with the bucket created. It does not
 * verify signatures: never test auth against it. Without `directory` the data is temporary.
 */
export async function startLocalS3(
  options: { bucket?: string; directory?: string; port?: number } = {},
): Promise<LocalS3> {
  const bucket = options.bucket ?? 'spur';
  const temporary = !options.directory;
  const directory = options.directory ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'spur-s3-')));
  await fs.mkdir(directory, { recursive: true });
  const { default: S3rver } = await import('s3rver');
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    bucket,
    env: { S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' },
    async stop() {
      await server.close();
      if (temporary) await fs.rm(directory, { recursive: true, force: true });
    },
  };
}
