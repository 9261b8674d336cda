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
    expect(documented.sort()).toEqual(operations.map((o) => endpointId({ method: o.method as 'GET', path: o.path })).sort());
    for (const op of operations) expect(ids.has(endpointId({ method: op.method as 'GET', path: op.path })), `${op.method} ${op.path}`).toBe(true);
    // A statistics endpoint carries its filter parameters from the schema.
    expect(body).toContain('<h3 id="get-api-v1-statistics-page"><span class="method">GET</span>/api/v1/statistics/page</h3>');
    const page = body.slice(body.indexOf('id="get-api-v1-statistics-page"'), body.indexOf('</section>', body.indexOf('id="get-api-v1-statistics-page"')));
    for (const param of ['<code>id</code>', '<code>from</code>', '<code>to</code>', '<code>tz</code>', '<code>path</code>', '<code>utm_source</code>']) expect(page).toContain(param);
  });
});
