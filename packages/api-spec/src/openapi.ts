import { z } from 'zod';
import { funnelSchema, goalSchema, tokenRequestSchema } from '@spur/accounts';
import { batchSchemas, getHitQuerySchema, schemas } from '@spur/ingest';
import { STATISTICS_ENDPOINTS } from '@spur/stats';
import { buildOpenApi, type Operation } from './build-openapi.ts';
import { domainQuery, domainSchema } from './domain.schema.ts';

/**
 * The OpenAPI 3.1 document of Spur's Pirsch-compatible API, generated from the zod schemas the
 * routes validate with (statistics from their registry, ingest, token, goals and funnels from their
 * owners' exported schemas). The backend serves it at `/api/v1/openapi.json`; the website renders
 * its API reference from it, so neither can drift from the routes. Built once per process.
 */
const ingest = (path: string, kind: keyof typeof schemas, summary: string): Operation[] => [
  { method: 'post', path: `/api/v1/${path}`, tag: 'Ingest', summary, body: schemas[kind], status: 202 },
  {
    method: 'post',
    path: `/api/v1/${path}/batch`,
    tag: 'Ingest',
    summary: `${summary} Several at once, each with its \`time\`.`,
    body: batchSchemas[kind],
    status: 202,
  },
];

const byId = z.object({ id: z.string().meta({ description: 'Site (domain) id.' }) }).strict();
const withDomain = (schema: z.ZodType) => z.object({ domain_id: z.string() }).and(schema);
const withId = (schema: z.ZodType) => z.object({ id: z.string() }).and(schema);

const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/token',
    tag: 'Authentication',
    summary: 'Exchange an API client id and secret for an access token (one hour).',
    body: tokenRequestSchema,
    response: z.object({ access_token: z.string(), expires_at: z.string() }),
    auth: 'none',
  },
  ...ingest('hit', 'page_view', 'Count a page view.'),
  {
    method: 'get',
    path: '/api/v1/hit',
    tag: 'Ingest',
    summary: "Count a page view from a browser, in query parameters (Pirsch's browser client).",
    query: getHitQuerySchema,
    status: 202,
    auth: 'none',
  },
  ...ingest('event', 'event', 'Count an event.'),
  ...ingest('session', 'session', 'Keep a visit alive.'),
  {
    method: 'get',
    path: '/api/v1/domain',
    tag: 'Domains',
    summary: 'Sites the caller may read (one object with `id`).',
    query: domainQuery,
    response: z.array(domainSchema),
  },
  { method: 'get', path: '/api/v1/goal', tag: 'Conversions', summary: 'Conversion goals of a site.', query: byId },
  {
    method: 'post',
    path: '/api/v1/goal',
    tag: 'Conversions',
    summary: 'Create a conversion goal.',
    body: withDomain(goalSchema),
    status: 201,
  },
  {
    method: 'put',
    path: '/api/v1/goal',
    tag: 'Conversions',
    summary: 'Replace a conversion goal.',
    body: withId(goalSchema),
  },
  {
    method: 'delete',
    path: '/api/v1/goal',
    tag: 'Conversions',
    summary: 'Delete a conversion goal (`id` of the goal).',
    query: byId,
    status: 204,
  },
  { method: 'get', path: '/api/v1/funnel', tag: 'Conversions', summary: 'Funnels of a site.', query: byId },
  {
    method: 'post',
    path: '/api/v1/funnel',
    tag: 'Conversions',
    summary: 'Create a funnel (2-8 steps).',
    body: withDomain(funnelSchema),
    status: 201,
  },
  {
    method: 'put',
    path: '/api/v1/funnel',
    tag: 'Conversions',
    summary: 'Replace a funnel.',
    body: withId(funnelSchema),
  },
  {
    method: 'delete',
    path: '/api/v1/funnel',
    tag: 'Conversions',
    summary: 'Delete a funnel (`id` of the funnel).',
    query: byId,
    status: 204,
  },
  { method: 'get', path: '/api/v1/openapi.json', tag: 'Meta', summary: 'This document.', auth: 'none' },
];

let document: ReturnType<typeof buildOpenApi> | undefined;

export function openApiDocument() {
  document ??= buildOpenApi({
    title: 'Spur API',
    version: '1',
    description:
      "Spur's REST API, compatible with Pirsch's API v1 (paths, parameters, fields): point pirsch-sdk at Spur's base URL. " +
      'Statistics take one filter model; every statistics endpoint also answers `format=csv`.',
    endpoints: STATISTICS_ENDPOINTS,
    operations: OPERATIONS,
  });
  return document;
}
