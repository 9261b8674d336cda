import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { ObjectStore } from '../s3.ts';

/**
 * User avatars and organization logos, kept in S3 under a content address
 * (`images/<sha256>.<ext>`), so any node serves them, a changed image gets a new URL and the old
 * one can be cached forever. The type is decided by the file's first bytes, never by what the
 * client says; SVG (which can carry script) and anything unrecognized is refused.
 */
export const MAX_IMAGE_BYTES = 64 * 1024;

const TYPES = [
  {
    ext: 'png',
    mime: 'image/png',
    test: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')),
  },
  {
    ext: 'jpg',
    mime: 'image/jpeg',
    test: (b: Buffer) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  },
  {
    ext: 'webp',
    mime: 'image/webp',
    test: (b: Buffer) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  { ext: 'gif', mime: 'image/gif', test: (b: Buffer) => /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1')) },
] as const;

export class ImageRejected extends Error {
  readonly field = 'data';
}

export function imageType(bytes: Buffer): { ext: string; mime: string } {
  if (bytes.length === 0) throw new ImageRejected('data: the image is empty');
  if (bytes.length > MAX_IMAGE_BYTES)
    throw new ImageRejected(`data: the image is ${bytes.length} bytes; at most ${MAX_IMAGE_BYTES} are accepted`);
  const type = TYPES.find((t) => t.test(bytes));
  if (!type) throw new ImageRejected('data: must be a PNG, JPEG, WebP or GIF image');
  return { ext: type.ext, mime: type.mime };
}

export const IMAGE_KEY = /^[0-9a-f]{64}\.(png|jpg|webp|gif)$/;
export const imageMime = (name: string) => TYPES.find((t) => name.endsWith(`.${t.ext}`))?.mime;

async function store(objects: ObjectStore, bytes: Buffer): Promise<string> {
  const { ext, mime } = imageType(bytes);
  const name = `${createHash('sha256').update(bytes).digest('hex')}.${ext}`;
  await objects.put(`images/${name}`, bytes, mime);
  return name;
}

/** Stores the image and points the user (or organization) at it; `null` removes it. Returns the image name. */
export async function setUserAvatar(db: pg.Pool, objects: ObjectStore, userId: string, bytes: Buffer | null) {
  const name = bytes ? await store(objects, bytes) : null;
  await db.query('UPDATE app_user SET avatar_key = $2 WHERE id = $1', [userId, name]);
  return name;
}

export async function setOrganizationLogo(
  db: pg.Pool,
  objects: ObjectStore,
  organizationId: string,
  bytes: Buffer | null,
) {
  const name = bytes ? await store(objects, bytes) : null;
  await db.query('UPDATE organization SET logo_key = $2 WHERE id = $1', [organizationId, name]);
  return name;
}

export async function imageOf(db: pg.Pool, owner: { user: string } | { organization: string }): Promise<string | null> {
  const { rows } =
    'user' in owner
      ? await db.query<{ key: string | null }>('SELECT avatar_key AS key FROM app_user WHERE id = $1', [owner.user])
      : await db.query<{ key: string | null }>('SELECT logo_key AS key FROM organization WHERE id = $1', [
          owner.organization,
        ]);
  return rows[0]?.key ?? null;
}

/** The bytes of a stored image (by its name), or undefined. */
export async function readImage(objects: ObjectStore, name: string) {
  if (!IMAGE_KEY.test(name)) return undefined;
  const object = await objects.get(`images/${name}`);
  return object && { body: object.body, mime: imageMime(name)! };
}
