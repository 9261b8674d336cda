import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, type Registry } from 'prom-client';
import type { Logger } from '@spur/runtime';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    log: Logger;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane, else a new one), a child
 * logger carrying it, one access-log line, a latency observation labelled by route and `nosniff`.
 */
export function requestContext(log: Logger, registry: Registry) {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.log = log.child({ requestId: req.id });
    res.setHeader('X-Request-Id', req.id);
    // Every answer declares its type; no browser may sniff a JSON error into HTML (issue 13).
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // Unmatched paths share one label so scanners cannot blow up the metric's cardinality.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      duration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      req.log.info(
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 },
        'request',
      );
    });
    next();
  };
}
