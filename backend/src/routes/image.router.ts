import { Router } from 'express';
import { z } from 'zod';
import { requireRole, type AccountsContext } from '@spur/accounts';
import { imageOf, ImageRejected, readImage, setOrganizationLogo, setUserAvatar, type ObjectStore } from '@spur/storage';
import { requireUser } from '../auth/caller.middleware.ts';
import { HttpError } from '../http/errors.ts';

/**
 * Avatars and organization logos. Uploads are JSON (`{"data": "<base64>"}`, like every API body,
 * so the CSRF rules hold) of at most 64 KB; the type is read from the bytes. Images are served
 * by name from S3 by any node, cacheable forever (the name is the content's hash).
 */
const upload = z.object({ data: z.base64({ error: 'must be the image as base64' }).max(100_000) }).strict();
export const imageUrl = (name: string | null) => (name ? `/api/v1/images/${name}` : null);

function decode(body: unknown): Buffer {
  return Buffer.from(upload.parse(body).data, 'base64');
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ImageRejected) throw new HttpError(400, error.message, { field: error.field });
    throw error;
  }
}

export function imageRouter(accounts: AccountsContext, objects: ObjectStore) {
  const router = Router();
  const db = accounts.db;

  router.get('/api/v1/images/:name', async (req, res) => {
    const image = await readImage(objects, req.params.name);
    if (!image) throw new HttpError(404, 'image not found', { field: 'name' });
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    res.type(image.mime).send(image.body);
  });

  router.get('/api/v1/account/avatar', async (req, res) => {
    res.json({ url: imageUrl(await imageOf(db, { user: requireUser(req).userId })) });
  });
  router.put('/api/v1/account/avatar', async (req, res) => {
    const { userId } = requireUser(req);
    const name = await guarded(() => setUserAvatar(db, objects, userId, decode(req.body)));
    res.json({ url: imageUrl(name) });
  });
  router.delete('/api/v1/account/avatar', async (req, res) => {
    await setUserAvatar(db, objects, requireUser(req).userId, null);
    res.status(204).end();
  });

  router.get('/api/v1/organizations/:orgId/logo', async (req, res) => {
    await requireRole(db, requireUser(req).userId, req.params.orgId, 'viewer');
    res.json({ url: imageUrl(await imageOf(db, { organization: req.params.orgId })) });
  });
  router.put('/api/v1/organizations/:orgId/logo', async (req, res) => {
    await requireRole(db, requireUser(req).userId, req.params.orgId, 'admin');
    const name = await guarded(() => setOrganizationLogo(db, objects, req.params.orgId, decode(req.body)));
    res.json({ url: imageUrl(name) });
  });
  router.delete('/api/v1/organizations/:orgId/logo', async (req, res) => {
    await requireRole(db, requireUser(req).userId, req.params.orgId, 'admin');
    await setOrganizationLogo(db, objects, req.params.orgId, null);
    res.status(204).end();
  });
  return router;
}
