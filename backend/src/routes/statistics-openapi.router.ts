import { Router } from 'express';
import { openApiDocument } from '@spur/api-spec';

/** `GET /api/v1/openapi.json` (see @spur/api-spec). */
export function openApiRouter() {
  const router = Router();
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(openApiDocument());
  });
  return router;
}
