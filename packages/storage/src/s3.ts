import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { Config } from '@spur/config';

export type S3Config = Pick<
  Config,
  'S3_ENDPOINT' | 'S3_BUCKET' | 'S3_REGION' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY'
>;

export type StoredObject = { body: Buffer; contentType: string | undefined };
export type ObjectSummary = { key: string; size: number; lastModified: Date | undefined };

/**
 * The one S3 bucket Spur writes: rendered email reports, backups, avatars and logos. Works
 * against AWS S3 and any S3-compatible store (S3_ENDPOINT, path-style addressing).
 */
export type ObjectStore = {
  bucket: string;
  /** Creates the bucket when it is missing (the local stand-in starts empty). */
  ensureBucket: () => Promise<void>;
  put: (key: string, body: Buffer | string, contentType: string) => Promise<void>;
  /** Streams a body of unknown length in multipart parts; returns its size and SHA-256. */
  putStream: (key: string, body: Readable, contentType: string) => Promise<{ size: number; sha256: string }>;
  get: (key: string) => Promise<StoredObject | undefined>;
  getStream: (key: string) => Promise<Readable | undefined>;
  list: (prefix: string) => Promise<ObjectSummary[]>;
  delete: (key: string) => Promise<void>;
  close: () => void;
};

// S3 wants every part but the last to be at least 5 MiB.
const PART_BYTES = 8 * 1024 * 1024;

export function openObjectStore(config: S3Config): ObjectStore {
  const client = new S3Client({
    region: config.S3_REGION,
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT, forcePathStyle: true } : {}),
    ...(config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY } }
      : {}),
    // Without these the SDK frames streamed bodies as aws-chunked, which S3-compatible stores
    // such as s3rver keep verbatim (the stored object would contain the chunk headers).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
  const Bucket = config.S3_BUCKET;

  async function get(key: string): Promise<StoredObject | undefined> {
    try {
      const result = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      const bytes = await result.Body!.transformToByteArray();
      return { body: Buffer.from(bytes), contentType: result.ContentType };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  return {
    bucket: Bucket,
    async ensureBucket() {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
      } catch {
        await client.send(new CreateBucketCommand({ Bucket }));
      }
    },
    async put(key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async putStream(key, body, contentType) {
      const hash = createHash('sha256');
      let size = 0;
      const { UploadId } = await client.send(
        new CreateMultipartUploadCommand({ Bucket, Key: key, ContentType: contentType }),
      );
      const parts: { ETag: string; PartNumber: number }[] = [];
      const upload = async (chunk: Buffer) => {
        const PartNumber = parts.length + 1;
        const result = await client.send(
          new UploadPartCommand({ Bucket, Key: key, UploadId, PartNumber, Body: chunk, ContentLength: chunk.length }),
        );
        parts.push({ ETag: result.ETag!, PartNumber });
      };
      try {
        let pending: Buffer[] = [];
        let pendingBytes = 0;
        for await (const piece of body as AsyncIterable<Buffer>) {
          hash.update(piece);
          size += piece.length;
          pending.push(piece);
          pendingBytes += piece.length;
          if (pendingBytes >= PART_BYTES) {
            await upload(Buffer.concat(pending));
            pending = [];
            pendingBytes = 0;
          }
        }
        if (pendingBytes > 0 || parts.length === 0) await upload(Buffer.concat(pending));
        await client.send(
          new CompleteMultipartUploadCommand({ Bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }),
        );
      } catch (error) {
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId })).catch(() => undefined);
        throw error;
      }
      return { size, sha256: hash.digest('hex') };
    },
    get,
    async getStream(key) {
      try {
        const result = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return result.Body as Readable;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async list(prefix) {
      const found: ObjectSummary[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken }));
        for (const item of page.Contents ?? [])
          found.push({ key: item.Key!, size: item.Size ?? 0, lastModified: item.LastModified });
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return found;
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    close: () => client.destroy(),
  };
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof NoSuchKey ||
    (error as { name?: string }).name === 'NoSuchKey' ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
  );
}
