import type http from 'node:http';
import type { z } from 'zod';
import type { Logger } from '@spur/runtime';
import {
  batchSchemas,
  describeIssue,
  getHitQuerySchema,
  hitFromQuery,
  parsePayload,
  schemas,
  type createIngestPipeline,
  type IngestBatch,
  type IngestKind,
  type IngestOutcome,
} from '@spur/ingest';
import { BodyError, parseJson, readBody } from './body.ts';
import { authenticateIngest } from './ingest-auth.ts';
import type { Authenticate } from './principal-cache.ts';

type Pipeline = ReturnType<typeof createIngestPipeline>;

const ROUTES: Record<string, { kind: IngestKind; batch: boolean }> = {
  '/api/v1/hit': { kind: 'page_view', batch: false },
  '/api/v1/event': { kind: 'event', batch: false },
  '/api/v1/session': { kind: 'session', batch: false },
  '/api/v1/hit/batch': { kind: 'page_view', batch: true },
  '/api/v1/event/batch': { kind: 'event', batch: true },
  '/api/v1/session/batch': { kind: 'session', batch: true },
};
export const INGEST_PATHS = Object.keys(ROUTES);

const BASE_HEADERS = {
  'access-control-allow-origin': '*',
  'content-type': 'application/json',
  'cache-control': 'no-store',
  // No browser may guess another type than the JSON declared (issue 13).
  'x-content-type-options': 'nosniff',
};
const ACCEPTED_HEADERS = Object.entries(BASE_HEADERS).flat();

type IngestError = { error: string; field?: string };

/**
 * Errors in Pirsch's shape: `error` is a list of messages and `validation` maps a field to its message.
 * pirsch-sdk shows `error[0]`, so a plain string reached its users as its first letter (issue 12).
 * `field` stays beside them for clients that read Spur's own shape.
 */
function pirschError({ error, field }: IngestError) {
  return { error: [error], validation: field ? { [field]: error } : {}, ...(field ? { field } : {}) };
}

const SINGLE_LIMIT = 64 * 1024;
const BATCH_LIMIT = 4 * 1024 * 1024;

/**
 * The ingest endpoints on bare node:http: this is the hottest path in Spur, and Express' per-request
 * machinery would cost more than the whole pipeline. Everything here answers with JSON; nothing a
 * client sends can produce a 5xx (a store being down gives 503 + Retry-After).
 */
export function createIngestHandler(deps: { pipeline: Pipeline; authenticate: Authenticate; log: Logger }) {
  const send = (res: http.ServerResponse, status: number, body?: unknown, headers?: Record<string, string>) => {
    if (status === 202 && body === undefined && !headers) {
      // The answer to nearly every request, with its headers prepared once.
      res.writeHead(202, ACCEPTED_HEADERS);
      res.end();
      return;
    }
    res.writeHead(status, { ...BASE_HEADERS, ...headers });
    res.end(body === undefined ? '' : JSON.stringify(status >= 400 ? pirschError(body as IngestError) : body));
  };

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    route: { kind: IngestKind; batch: boolean },
  ) {
    const raw = await readBody(req, route.batch ? BATCH_LIMIT : SINGLE_LIMIT);
    const body = parseJson(raw);
    const headers = req.headers as Record<string, string | undefined>;
    const authenticated = authenticateIngest(headers.authorization, body, route.batch, deps.authenticate);
    const verdict = authenticated instanceof Promise ? await authenticated : authenticated;
    if (!('auth' in verdict)) return send(res, verdict.status, verdict.body, verdict.headers);
    const auth = verdict.auth;

    const remoteAddress = req.socket.remoteAddress ?? '';
    if (!route.batch) {
      const parsed = parsePayload(route.kind, body);
      if (!parsed.success) return send(res, 400, describeIssue(parsed.error, body));
      const outcome = await deps.pipeline.ingest({
        kind: route.kind,
        payload: parsed.data as never,
        auth,
        remoteAddress,
        headers,
        time: new Date(),
      });
      return answer(res, outcome);
    }

    const parsed = (batchSchemas[route.kind] as z.ZodType).safeParse(body);
    if (!parsed.success) return send(res, 400, describeIssue(parsed.error, body));
    const items = parsed.data as IngestBatch['items'];
    // The batch's rules (time window, all or nothing, order) are the ingest package's.
    const outcome = await deps.pipeline.ingestBatch({ kind: route.kind, items, auth, remoteAddress, headers });
    if (outcome.status === 'taken') return send(res, 202, outcome.summary);
    if (outcome.httpStatus === 503) return send(res, 503, { error: outcome.error }, { 'retry-after': '5' });
    return send(res, outcome.httpStatus, { error: outcome.error, field: outcome.field });
  }

  function fail(res: http.ServerResponse, path: string, error: unknown) {
    if (error instanceof BodyError) return send(res, error.status, { error: error.message, field: 'body' });
    deps.log.error({ err: error, path }, 'ingest failed');
    if (!res.headersSent) send(res, 503, { error: 'temporarily unavailable, retry later' }, { 'retry-after': '5' });
  }

  /** Pirsch's browser client (`pirsch-sdk/web`): a page view as GET with short query parameters. */
  async function handleGetHit(req: http.IncomingMessage, res: http.ServerResponse) {
    const raw = Object.fromEntries(new URL(req.url ?? '', 'http://x').searchParams);
    const query = getHitQuerySchema.safeParse(raw);
    if (!query.success) return send(res, 400, describeIssue(query.error, raw));
    const hit = hitFromQuery(query.data);
    const parsed = schemas.page_view.safeParse(hit);
    if (!parsed.success) return send(res, 400, describeIssue(parsed.error, hit));
    const code = query.data.code;
    const headers = req.headers as Record<string, string | undefined>;
    const outcome = await deps.pipeline.ingest({
      kind: 'page_view',
      payload: parsed.data,
      auth: { type: 'code', code },
      remoteAddress: req.socket.remoteAddress ?? '',
      headers,
      time: new Date(),
    });
    return answer(res, outcome);
  }

  function answer(res: http.ServerResponse, outcome: IngestOutcome) {
    if (outcome.status !== 'rejected') return send(res, 202);
    if (outcome.httpStatus === 503) return send(res, 503, { error: outcome.error }, { 'retry-after': '5' });
    return send(res, outcome.httpStatus, { error: outcome.error, field: outcome.field });
  }

  /** Returns false when the request is not for an ingest path (the caller hands it to Express). */
  return function ingestHandler(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const path = (req.url ?? '').split('?', 1)[0]!;
    const route = ROUTES[path];
    if (!route) return false;
    if (req.method === 'OPTIONS') {
      send(res, 204, undefined, {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'Content-Type, Authorization',
        'access-control-max-age': '86400',
      });
      return true;
    }
    if (req.method === 'GET' && path === '/api/v1/hit') {
      handleGetHit(req, res).catch((error: unknown) => fail(res, path, error));
      return true;
    }
    if (req.method !== 'POST') {
      send(res, 405, { error: 'use POST', field: 'method' }, { allow: 'POST, OPTIONS' });
      return true;
    }
    handle(req, res, route).catch((error: unknown) => fail(res, path, error));
    return true;
  };
}
