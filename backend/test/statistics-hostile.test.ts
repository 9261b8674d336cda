import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { STATISTICS_ENDPOINTS } from '@spur/stats';
import {
  fixtureSteps,
  play,
  startStatsHarness,
  yesterday,
  type Site,
  type StatsHarness,
  type Tenant,
} from './statistics-fixture.ts';

/**
 * Issue 13: hostile query strings made the statistics API answer 500 (time zones Node accepts and
 * ClickHouse cannot load, allow-list lookups that reached Object.prototype). Every endpoint of the
 * registry is probed; whatever is sent, the answer is never a 5xx.
 */
let h: StatsHarness;
let tenant: Tenant;
let site: Site;
const day = yesterday();

beforeAll(async () => {
  h = await startStatsHarness();
  tenant = await h.tenant();
  site = await h.site(tenant, { hostname: 'hostile.example' });
  await play(h, site, fixtureSteps(day));
});
afterAll(() => h?.stop());

type Query = Record<string, string | string[]>;
const call = (path: string, query: Query) =>
  h.api(tenant.token, `/api/v1/statistics/${path}`, { id: site.id, from: day, to: day, ...query });

describe('the inputs that answered 500', () => {
  it('when tz is a zone Node knows but ClickHouse cannot load, then 400 naming tz; a case difference is canonicalized and answered', async () => {
    for (const tz of ['US/Pacific-New', 'SystemV/AST4']) {
      const reply = await call('total', { tz });
      expect([reply.status, reply.body.field]).toEqual([400, 'tz']);
    }
    const utc = (await call('total', { tz: 'UTC' })).body;
    expect(utc.visitors).toBe(4);
    for (const tz of ['utc', 'Utc']) expect(await call('total', { tz })).toMatchObject({ status: 200, body: utc });
    expect((await call('visitor', { tz: 'europe/berlin' })).status).toBe(200);
  });

  it('when sort names a property of Object.prototype, then 400 naming sort', async () => {
    for (const sort of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const reply = await call('page', { sort });
      expect([reply.status, reply.body.field]).toEqual([400, 'sort']);
    }
  });

  it('when a tag or meta key is a prototype key, then it filters like any key (nothing matches)', async () => {
    for (const query of [{ meta___proto__: 'x' }, { tag_constructor: 'x' }, { meta_toString: 'x' }] as Query[]) {
      const reply = await call('total', query);
      expect([reply.status, reply.body.visitors, reply.body.views]).toEqual([200, 0, 0]);
    }
    // Before the site check too: an id that is not there is a 404, not a 500.
    expect((await call('total', { id: '999999999', meta___proto__: 'x' })).status).toBe(404);
  });

  it('when __proto__ is sent as a parameter, then it is the unknown parameter named', async () => {
    const reply = await call('total', { __proto__: 'x' } as unknown as Query);
    // URLSearchParams of a literal `{ __proto__: … }` would drop it: spell it out.
    const raw = await fetch(
      `${h.backend.url}/api/v1/statistics/total?id=${site.id}&from=${day}&to=${day}&__proto__=x`,
      {
        headers: { authorization: `Bearer ${tenant.token}` },
      },
    );
    expect(reply.status).toBe(200);
    expect(raw.status).toBe(400);
    // Compared as text: a `{ __proto__: … }` literal in the test would set a prototype, not a key.
    expect(await raw.text()).toBe(
      JSON.stringify({
        error: ['__proto__: is not a known parameter'],
        validation: JSON.parse('{"__proto__":"is not a known parameter"}'),
        field: '__proto__',
      }),
    );
  });

  it('when an invalid pattern comes beside another filter, then it is still a 400 naming pattern', async () => {
    for (const query of [
      { pattern: '(?=x)' },
      { pattern: '(?=x)', path: '/nowhere' },
      { pattern: ['^/', '['] },
    ] as Query[]) {
      const reply = await call('total', query);
      expect([reply.status, reply.body.field]).toEqual([400, 'pattern']);
    }
    expect((await call('page', { pattern: '(?P<first>^/p)', path: '/pricing' })).status).toBe(200);
  });
});

describe('stored patterns that RE2 cannot compile (saved before they were checked)', () => {
  it('when a goal or a funnel step holds one, then reads still answer: that goal converts nobody, that step matches no path', async () => {
    const db = h.stores.postgres.pool;
    await db.query(
      "INSERT INTO goal (site_id, name, pattern) VALUES ($1, 'bad', '^/(?=pricing)'), ($1, 'good', '^/pricing$')",
      [site.id],
    );
    const funnel = await db.query<{ id: string }>("INSERT INTO funnel (site_id, name) VALUES ($1, 'f') RETURNING id", [
      site.id,
    ]);
    const funnelId = funnel.rows[0]!.id;
    await db.query(
      `INSERT INTO funnel_step (funnel_id, step, name, filter) VALUES ($1, 1, 'home', '{"path": "/"}'),
         ($1, 2, 'bad', '{"pattern": "(?=x)"}'), ($1, 3, 'not bad', '{"pattern": "!(?=x)"}')`,
      [funnelId],
    );
    const goals = await call('goals', {});
    expect(goals.status, goals.text).toBe(200);
    expect(
      goals.body.map((g: { page_goal: { name: string }; stats: { visitors: number; views: number } }) => [
        g.page_goal.name,
        g.stats.visitors,
        g.stats.views,
      ]),
    ).toEqual([
      ['bad', 0, 0],
      ['good', 3, 4],
    ]);
    const steps = await call('funnel', { funnel_id: funnelId });
    expect(steps.status, steps.text).toBe(200);
    expect(steps.body.data.map((s: { visitors: number }) => s.visitors)).toEqual([4, 0, 0]);
  });
});

/** Names worth trying: the endpoints' own, dynamic prefixes, and keys of Object.prototype. */
const KNOWN = [...new Set(STATISTICS_ENDPOINTS.flatMap((e) => Object.keys(e.query.shape)))];
const PROTOTYPE = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  '__defineGetter__',
];
const HOSTILE = [
  "' OR 1=1 --",
  '{p0:String}',
  '\\',
  '%00',
  '\u0000',
  '\ud800x',
  '😀',
  '(?=x)',
  '*'.repeat(40),
  '/*a*a*a*a*a*a*b',
  'NaN',
  '-1',
  '1e309',
  '99999999999999999999999',
  'null',
  '!null',
  '~',
  '^',
  '!',
  'utc',
  'US/Pacific-New',
  'SystemV/AST4',
  '2026-02-30',
  '0000-01-01',
  'x'.repeat(1_100),
];

/** The parameters whose text the server interprets (looks up, hands to ClickHouse) rather than only compares. */
const INTERPRETED = ['sort', 'tz', 'pattern', 'scale', 'direction', 'limit', 'offset', 'start', 'funnel_id', 'format'];
const nameArb = fc.oneof(
  { arbitrary: fc.constantFrom(...INTERPRETED), weight: 3 },
  { arbitrary: fc.constantFrom(...KNOWN), weight: 2 },
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom('tag_', 'meta_', 'event_meta_'),
        fc.oneof(fc.constantFrom(...PROTOTYPE), fc.string({ maxLength: 12 })),
      )
      .map(([p, k]) => p + k),
    weight: 2,
  },
  { arbitrary: fc.constantFrom(...PROTOTYPE), weight: 1 },
  { arbitrary: fc.string({ maxLength: 16 }), weight: 1 },
);
/** Values that once reached Object.prototype or ClickHouse's time zone loader: tried often. */
const TRAPS = [...PROTOTYPE, 'US/Pacific-New', 'SystemV/AST4', 'utc'];
const valueArb = fc.oneof(
  { arbitrary: fc.constantFrom(...TRAPS), weight: 3 },
  { arbitrary: fc.constantFrom(...HOSTILE), weight: 2 },
  { arbitrary: fc.constantFrom(...KNOWN), weight: 1 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
  { arbitrary: fc.integer().map(String), weight: 1 },
  { arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), weight: 1 },
);
const valuesArb = fc.oneof(valueArb, fc.array(valueArb, { minLength: 2, maxLength: 3 }));
// Every query has at least one interpreted parameter, beside up to three of any kind.
const queryArb = fc
  .tuple(fc.dictionary(nameArb, valuesArb, { maxKeys: 3 }), fc.constantFrom(...INTERPRETED), valuesArb)
  .map(([rest, name, value]) => ({ ...rest, [name]: value }));

describe('generated parameters at every endpoint', () => {
  it('when names and values are generated, then no endpoint ever answers 5xx', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...STATISTICS_ENDPOINTS.map((e) => e.path)), queryArb, async (path, query) => {
        const reply = await call(path, query);
        seen.set(reply.status, (seen.get(reply.status) ?? 0) + 1);
        expect(reply.status, `${path} ${JSON.stringify(query)}: ${reply.text.slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
    // Both outcomes occur: generated queries are neither all refused nor all answered.
    expect([seen.has(200), seen.has(400)]).toEqual([true, true]);
  });
});
