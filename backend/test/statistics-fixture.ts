import { randomInt } from 'node:crypto';
import { expect } from 'vitest';
import { seedApiClient, seedSite, seedUser } from '@spur/accounts/testing';
import { createSessionStore, emptyDimensions, formatTime, hitMembers } from '@spur/ingest';
import { createTestAccessKey, startIngestHarness, type IngestHarness } from '@spur/testkit';

/**
 * Shared by the statistics tests: real engines and backend, a tenant (user, organization, API
 * client) and a small, hand-countable fixture sent through the real ingest path. Every number the
 * tests expect is derived by hand from the table in `playFixture`'s comment.
 */
export const UA = {
  chromeLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36',
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Reply = { status: number; body: any; text: string; headers: Headers };

export type Tenant = { userId: string; organizationId: string; clientId: string; clientSecret: string; token: string };
export type Site = { id: string; hostname: string; organizationId: string; accessKey: string };

export type StatsHarness = IngestHarness & {
  tenant: () => Promise<Tenant>;
  site: (tenant: Tenant, options?: { hostname?: string; timezone?: string }) => Promise<Site>;
  /** GET with a bearer token (or none); `query` values may repeat (arrays). */
  api: (
    token: string | undefined,
    path: string,
    query?: Record<string, string | string[] | number | boolean>,
    headers?: Record<string, string>,
  ) => Promise<Reply>;
};

export async function startStatsHarness(): Promise<StatsHarness> {
  const h = await startIngestHarness();
  const db = h.stores.postgres.pool;
  const api: StatsHarness['api'] = async (token, path, query = {}, headers = {}) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      for (const one of Array.isArray(v) ? v : [v]) params.append(k, String(one));
    const response = await fetch(`${h.backend.url}${path}${params.size ? `?${params}` : ''}`, {
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined;
    return { status: response.status, body: json, text, headers: response.headers };
  };
  return Object.assign(h, {
    api,
    tenant: async () => {
      const user = await seedUser(db);
      const client = await seedApiClient(db, user.organizationId);
      const response = await h.post('/api/v1/token', {
        client_id: client.client_id,
        client_secret: client.client_secret,
      });
      expect(response.status).toBe(200);
      const { access_token } = (await response.json()) as { access_token: string };
      return {
        userId: user.id,
        organizationId: user.organizationId,
        clientId: client.client_id!,
        clientSecret: client.client_secret!,
        token: access_token,
      };
    },
    site: async (tenant: Tenant, options: { hostname?: string; timezone?: string } = {}) => {
      const site = await seedSite(db, tenant.organizationId, options);
      const accessKey = await createTestAccessKey(db, { organizationId: tenant.organizationId, siteId: site.id });
      return { id: site.id, hostname: site.hostname, organizationId: tenant.organizationId, accessKey };
    },
  });
}

export type Step = { kind: 'hit' | 'event'; visitor: Visitor; time: string; path: string } & Record<string, unknown>;
export type Visitor = { ip: string; user_agent: string; accept_language: string; screen_width: number };

/** Sends steps in time order through `POST /api/v1/{hit,event}/batch`, then waits for the flusher. */
export async function play(h: IngestHarness, site: Site, steps: Step[]): Promise<void> {
  const ordered = [...steps].sort((a, b) => a.time.localeCompare(b.time));
  // Consecutive steps of one kind go in one batch; order across kinds decides sessions.
  for (let i = 0; i < ordered.length;) {
    const kind = ordered[i]!.kind;
    const batch: Record<string, unknown>[] = [];
    for (; i < ordered.length && ordered[i]!.kind === kind; i++) {
      const { kind: _kind, visitor, path, ...rest } = ordered[i]!;
      batch.push({ ...visitor, ...rest, url: `https://${site.hostname}${path}` });
    }
    const response = await h.post(`/api/v1/${kind}/batch`, batch, { authorization: `Bearer ${site.accessKey}` });
    expect(response.status, await response.clone().text()).toBe(202);
    expect(((await response.json()) as { accepted: number }).accepted).toBe(batch.length);
  }
  await h.flushed();
}

/** Yesterday (UTC) as `YYYY-MM-DD`: ingest accepts batch times from yesterday 00:00 UTC on. */
export function yesterday(): string {
  return new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
}

export const VISITORS = {
  // US, desktop, Chrome 140 on Linux, de, XL
  a: { ip: '8.8.8.8', user_agent: UA.chromeLinux, accept_language: 'de-DE,de;q=0.9', screen_width: 1920 },
  // AU, desktop, Firefox 133 on Windows 10, en, L
  b: { ip: '1.1.1.1', user_agent: UA.firefoxWindows, accept_language: 'en-US,en;q=0.9', screen_width: 1280 },
  // GB, mobile, Safari 17 on iOS 17.5, fr, XS
  c: { ip: '81.2.69.142', user_agent: UA.iphone, accept_language: 'fr-FR,fr;q=0.9', screen_width: 390 },
  // DE, desktop, Chrome 139 on Windows 10, en, XXL
  d: { ip: '5.9.0.1', user_agent: UA.chromeWindows, accept_language: 'en-GB,en;q=0.8', screen_width: 2560 },
} satisfies Record<string, Visitor>;

/**
 * The fixture, all on `day` (UTC):
 *
 * | visit | visitor | time (UTC)   | what                                                         |
 * |-------|---------|--------------|--------------------------------------------------------------|
 * | A1    | a       | 10:00        | `/` Home                                                     |
 * |       |         | 10:02        | `/pricing` Pricing                                           |
 * |       |         | 10:04        | event Signup on /pricing {plan: pro, seats: 3}, 12 s         |
 * |       |         | 10:05        | `/docs` Docs, tag author=bob                                 |
 * | B1    | b       | 10:10        | `/blog/hello` Hello from news.ycombinator.com, tag author=alice |
 * |       |         | 10:11        | `/pricing` Pricing                                           |
 * |       |         | 10:11:30     | event Signup on /pricing {plan: free}                        |
 * | C1    | c       | 10:20        | `/?utm_source=newsletter&utm_medium=email&utm_campaign=launch&utm_content=hero` |
 * |       |         | 10:21:10     | non-interactive event Scrolled on /                          |
 * | D1    | d       | 10:30        | `/` Home                                                     |
 * | C2    | c       | 11:00        | `/pricing` Pricing (38 idle minutes: a new visit, Direct)    |
 * |       |         | 11:01:20     | event Contact on /pricing (interactive, no metadata)         |
 * | D2    | d       | 11:15        | `/docs` Docs (45 idle minutes: a new visit)                  |
 * |       |         | 11:16        | `/blog/hello` Hello, tag author=alice                        |
 * |       |         | 11:17        | event Download on /blog/hello {file: guide.pdf}              |
 * | B2    | b       | 11:40        | `/pricing` Pricing (a new visit, Direct)                     |
 * |       |         | 11:41        | `/` Home                                                     |
 *
 * 4 visitors, 7 visits, 12 page views. Bounces are C1 and D1: one page and no interactive event
 * (C1's Scrolled is non-interactive); C2 has one page too, but its Contact event is interactive.
 * Funnel traps: B2 views /pricing before /, and c views / (C1) and /pricing (C2) in two visits.
 * Visit durations 300, 90, 70, 0, 80, 120, 60 s; time on page: / 120 (A1), /pricing 180 (A1) and
 * 60 (B2), /blog/hello 60 (B1), /docs 60 (D2); last pages of a visit have none.
 *
 * Per page: / 4 views (A1 C1 D1 B2), /pricing 4 (A1 B1 C2 B2), /blog/hello 2 (B1 D2), /docs 2 (A1 D2).
 * Direct visits: A1 C2 D1 D2 B2 (5 of them, visitors a b c d, 9 views, bounce D1).
 */
export function fixtureSteps(day: string): Step[] {
  const at = (hms: string) => `${day}T${hms}Z`;
  const { a, b, c, d } = VISITORS;
  return [
    { kind: 'hit', visitor: a, time: at('10:00:00'), path: '/', title: 'Home' },
    { kind: 'hit', visitor: a, time: at('10:02:00'), path: '/pricing', title: 'Pricing' },
    {
      kind: 'event',
      visitor: a,
      time: at('10:04:00'),
      path: '/pricing',
      title: 'Pricing',
      event_name: 'Signup',
      event_meta: { plan: 'pro', seats: 3 },
      event_duration: 12,
    },
    { kind: 'hit', visitor: a, time: at('10:05:00'), path: '/docs', title: 'Docs', tags: { author: 'bob' } },
    {
      kind: 'hit',
      visitor: b,
      time: at('10:10:00'),
      path: '/blog/hello',
      title: 'Hello',
      referrer: 'https://news.ycombinator.com/item?id=1',
      tags: { author: 'alice' },
    },
    { kind: 'hit', visitor: b, time: at('10:11:00'), path: '/pricing', title: 'Pricing' },
    {
      kind: 'event',
      visitor: b,
      time: at('10:11:30'),
      path: '/pricing',
      title: 'Pricing',
      event_name: 'Signup',
      event_meta: { plan: 'free' },
    },
    {
      kind: 'hit',
      visitor: c,
      time: at('10:20:00'),
      path: '/?utm_source=newsletter&utm_medium=email&utm_campaign=launch&utm_content=hero',
      title: 'Home',
    },
    {
      kind: 'event',
      visitor: c,
      time: at('10:21:10'),
      path: '/',
      title: 'Home',
      event_name: 'Scrolled',
      non_interactive: true,
    },
    { kind: 'hit', visitor: d, time: at('10:30:00'), path: '/', title: 'Home' },
    { kind: 'hit', visitor: c, time: at('11:00:00'), path: '/pricing', title: 'Pricing' },
    { kind: 'event', visitor: c, time: at('11:01:20'), path: '/pricing', title: 'Pricing', event_name: 'Contact' },
    { kind: 'hit', visitor: d, time: at('11:15:00'), path: '/docs', title: 'Docs' },
    { kind: 'hit', visitor: d, time: at('11:16:00'), path: '/blog/hello', title: 'Hello', tags: { author: 'alice' } },
    {
      kind: 'event',
      visitor: d,
      time: at('11:17:00'),
      path: '/blog/hello',
      title: 'Hello',
      event_name: 'Download',
      event_meta: { file: 'guide.pdf' },
    },
    { kind: 'hit', visitor: b, time: at('11:40:00'), path: '/pricing', title: 'Pricing' },
    { kind: 'hit', visitor: b, time: at('11:41:00'), path: '/', title: 'Home' },
  ];
}

/**
 * Visits at any date (the batch API only takes the last day or so), written by the same session
 * store and row builders as the pipeline: one visitor per entry, page views at the given times.
 */
export async function writeVisits(
  h: IngestHarness,
  site: Site,
  visits: { pages: [time: string, path: string][]; country?: string }[],
): Promise<void> {
  const update = createSessionStore(h.stores.redis);
  for (const visit of visits) {
    const visitorId = String(randomInt(1, 2 ** 47));
    const dims = { ...EMPTY_DIMENSIONS, hostname: site.hostname, country_code: visit.country ?? '' };
    for (const [time, path] of visit.pages) {
      const ctx = { site: { id: site.id }, dims: { ...dims, path, title: path }, visitorId } as Parameters<
        typeof hitMembers
      >[0];
      await update({
        kind: 'page_view',
        siteId: site.id,
        visitorId,
        previousVisitorId: undefined,
        time: new Date(time),
        sourceKey: '',
        members: hitMembers(ctx, formatTime(new Date(time)), { kind: 'page_view', tags: {} }),
        interactive: false,
      });
    }
  }
  await h.flushed();
}

// A visit with nothing to tell: no referrer (so Direct), a desktop browser.
const EMPTY_DIMENSIONS = { ...emptyDimensions(), channel: 'Direct', platform: 'desktop' };
