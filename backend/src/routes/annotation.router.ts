import { Router } from 'express';
import { z } from 'zod';
import {
  createAnnotation,
  deleteAnnotation,
  getReadableSite,
  listAnnotations,
  type AccountsContext,
} from '@spur/accounts';
import { toCsv } from '@spur/stats';
import { notReadable, requireUser } from '../auth/caller.middleware.ts';

/**
 * Annotations of a site's chart, shaped like the goal routes: `GET /api/v1/annotation?id=<site>`
 * lists them (`from`/`to` narrow to days, `format=csv` answers a spreadsheet; anyone who may read
 * the site, API tokens and access links included), `POST` adds one (body names `domain_id`),
 * `DELETE ?id=<annotation>` removes one. Changes need a signed-in admin.
 */
const listQuery = z
  .object({
    id: z.string().max(20),
    from: z.string().max(10).optional(),
    to: z.string().max(10).optional(),
    format: z.enum(['json', 'csv']).optional(),
  })
  .strict();
const createBody = z.object({ domain_id: z.string().max(20) }).loose();
const idQuery = z.object({ id: z.string().max(20) });

export function annotationRouter(accounts: AccountsContext) {
  const router = Router();

  router.get('/api/v1/annotation', async (req, res) => {
    const { id, format, ...range } = listQuery.parse(req.query);
    const site = await getReadableSite(accounts.db, req.caller, id);
    if (!site) throw notReadable(req.caller);
    const annotations = await listAnnotations(accounts.db, site.id, range);
    res.setHeader('Cache-Control', 'private, no-store');
    if (format === 'csv') {
      // toCsv takes its header from the rows: with none, the header is written here.
      const body = annotations.length ? toCsv(annotations.map(({ day, text }) => ({ day, text }))) : 'day,text\r\n';
      res.type('text/csv; charset=utf-8').attachment('annotations.csv').send(body);
      return;
    }
    res.json(annotations);
  });
  router.post('/api/v1/annotation', async (req, res) => {
    const { domain_id, ...annotation } = createBody.parse(req.body);
    res.status(201).json(await createAnnotation(accounts, requireUser(req).userId, domain_id, annotation));
  });
  router.delete('/api/v1/annotation', async (req, res) => {
    await deleteAnnotation(accounts, requireUser(req).userId, idQuery.parse(req.query).id);
    res.status(204).end();
  });
  return router;
}
