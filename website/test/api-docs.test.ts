import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '@spur/api-spec';
import { endpointId } from '../src/pages/api-reference.view.ts';
import { parsePage, startTestWebsite } from './website-harness.ts';

let site: Awaited<ReturnType<typeof startTestWebsite>>;
beforeAll(async () => {
  site = await startTestWebsite();
});
afterAll(() => site.stop());

describe('API reference', () => {
  it('documents every operation the API serves, and nothing it does not', async () => {
    // backend/test/api-route-table.test.ts proves the OpenAPI document equals the served routes.
    const operations = Object.entries(openApiDocument().paths).flatMap(([path, methods]) =>
      Object.keys(methods as object).map((method) => ({ method: method.toUpperCase(), path })),
    );
    const response = await fetch(`${site.url}/docs/api`);
    expect(response.status).toBe(200);
    const body = await response.text();
    const ids = parsePage(body).ids;
    const documented = [...body.matchAll(/<h3 id="([^"]+)"><span class="method">/g)].map((m) => m[1]!);
    expect(documented.sort()).toEqual(
      operations.map((o) => endpointId({ method: o.method as 'GET', path: o.path })).sort(),
    );
    for (const op of operations)
      expect(ids.has(endpointId({ method: op.method as 'GET', path: op.path })), `${op.method} ${op.path}`).toBe(true);
    // Every query parameter of every operation is documented: in its own section, or in the shared
    // filter table its section links to (the statistics filter is one table, not sixty copies).
    expect(body).toContain(
      '<h3 id="get-api-v1-statistics-page"><span class="method">GET</span>/api/v1/statistics/page</h3>',
    );
    const filters = body.slice(
      body.indexOf('<h2 id="filter-parameters">'),
      body.indexOf('<h2 id="metric-definitions">'),
    );
    const codes = (html: string) => new Set([...html.matchAll(/<code>([^<]+)<\/code>/g)].map((m) => m[1]!));
    const shared = codes(filters);
    for (const param of ['id', 'from', 'to', 'tz', 'path', 'utm_source', 'event_meta_key'])
      expect(shared, param).toContain(param);
    for (const [path, methods] of Object.entries(openApiDocument().paths)) {
      for (const [method, op] of Object.entries(methods as Record<string, { parameters?: { name: string }[] }>)) {
        const id = endpointId({ method: method.toUpperCase() as 'GET', path });
        const start = body.indexOf(`<h3 id="${id}">`);
        const section = body.slice(start, body.indexOf('</section>', start));
        const own = codes(section);
        const linked = section.includes('href="#filter-parameters"');
        const undocumented = (op.parameters ?? [])
          .map((p) => p.name)
          .filter((name) => !own.has(name) && !(linked && shared.has(name)));
        expect(undocumented, `${method} ${path}`).toEqual([]);
      }
    }
    expect(body.length).toBeLessThan(250_000);
  });
});
