import type { Router } from 'express';
import { INGEST_PATHS } from '../ingest/ingest.handler.ts';

export type RouteEntry = { method: string; path: string };

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/**
 * The routes an Express router answers (nested routers included; ours mount at the root), so
 * tests can compare what is served with what is documented.
 */
export function routeTable(router: Router): RouteEntry[] {
  const out: RouteEntry[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods))
          if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: layer.route.path });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((router as unknown as { stack: Layer[] }).stack);
  return out;
}

/** The lean ingest paths served in front of Express (see ingest.handler.ts). */
export function ingestRouteTable(): RouteEntry[] {
  return [...INGEST_PATHS.map((path) => ({ method: 'POST', path })), { method: 'GET', path: '/api/v1/hit' }];
}
