import type { NextFunction, Request, Response } from 'express';
import { isPostgresUnavailable } from '@spur/storage';

/** An error meant for the caller: status plus a JSON body naming what was wrong. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function notFound(_req: Request, res: Response) {
  res.status(404).json({ error: 'not found' });
}

/** The last middleware: known errors answer with their status; anything else is logged as a 500. */
export function errorHandler(error: unknown, req: Request, res: Response, _next: NextFunction) {
  if (error instanceof HttpError) {
    res.status(error.status).json({ error: error.message, ...error.details });
    return;
  }
  // Body-parser errors (bad JSON, too large) carry their own 4xx status.
  const status = (error as { status?: number }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    res.status(status).json({ error: (error as Error).message || 'bad request', field: 'body' });
    return;
  }
  // Postgres away (primary lost, promotion under way): the request may not have committed; retrying is safe.
  if (isPostgresUnavailable(error)) {
    req.log.warn({ err: error }, 'postgres unavailable');
    if (!res.headersSent)
      res.status(503).set('retry-after', '2').json({ error: 'database temporarily unavailable, retry later' });
    return;
  }
  req.log.error({ err: error }, 'unhandled error');
  if (!res.headersSent) res.status(500).json({ error: 'internal error', request_id: req.id });
}
