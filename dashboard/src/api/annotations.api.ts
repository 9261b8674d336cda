import { z } from 'zod/mini';
import { request } from './http.ts';

export const annotationSchema = z.looseObject({
  id: z.string(),
  domain_id: z.string(),
  day: z.string(),
  text: z.string(),
  created_at: z.string(),
});
export type Annotation = z.infer<typeof annotationSchema>;

/** Notes on a site's chart (backend/src/routes/annotation.router.ts). */
export const annotationsApi = {
  list: (siteId: string, range: { from: string; to: string }, signal?: AbortSignal) =>
    request('GET', '/api/v1/annotation', {
      query: { id: siteId, ...range },
      schema: z.array(annotationSchema),
      signal,
    }),
  create: (siteId: string, day: string, text: string) =>
    request('POST', '/api/v1/annotation', { body: { domain_id: siteId, day, text }, schema: annotationSchema }),
  remove: (annotationId: string) => request('DELETE', '/api/v1/annotation', { query: { id: annotationId } }),
};
