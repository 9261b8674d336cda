import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '@spur/api-spec';
import { startTestStores, type TestStores } from '@spur/testkit';
import { apiRouters, createBackendAccounts } from '../src/api.ts';
import { ingestRouteTable, routeTable } from '../src/http/route-table.ts';
import { goalRouter } from '../src/routes/goal.router.ts';
import { tokenRouter } from '../src/routes/token.router.ts';

let t: TestStores;
beforeAll(async () => {
  t = await startTestStores({ migrate: false });
});
afterAll(() => t?.close());

const key = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

describe('the public API', () => {
  it('serves exactly the operations its OpenAPI document describes (which the website renders as docs)', () => {
    const accounts = createBackendAccounts(t.config, t.stores, t.log);
    // The Pirsch-compatible API: what bearer tokens reach. The dashboard's own account routes are not part of it.
    const { statistics } = apiRouters({ accounts, clickhouse: t.stores.clickhouse.client, config: t.config });
    const served = [
      ...statistics.flatMap(routeTable),
      ...routeTable(tokenRouter(accounts)),
      ...routeTable(goalRouter(accounts)),
      ...ingestRouteTable(),
    ].map(key);
    const documented = Object.entries(openApiDocument().paths).flatMap(([path, methods]) =>
      Object.keys(methods as object).map((method) => key({ method, path })),
    );
    expect(new Set(served).size).toBe(served.length);
    expect([...served].sort()).toEqual([...documented].sort());
    expect(served.length).toBeGreaterThan(60);
  });
});
