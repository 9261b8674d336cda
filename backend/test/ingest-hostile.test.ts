import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSite, startIngestHarness, type IngestHarness, type TestSite } from '@spur/testkit';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

let h: IngestHarness;
let site: TestSite;
beforeAll(async () => {
  h = await startIngestHarness();
  site = await createTestSite(h.stores.postgres.pool, { hostname: 'target.example' });
});
afterAll(() => h?.stop());

/** A small deterministic PRNG so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

/** Every payload has at least one defect, so a correct server stores nothing. */
function hostilePayloads(count: number, code: string): { path: string; body: string; headers: Record<string, string> }[] {
  const random = rng(42);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const paths = ['/api/v1/hit', '/api/v1/event', '/api/v1/session'];
  const strings = ['', ' ', '\u0000', '💥'.repeat(300), 'x'.repeat(3_000), '<script>alert(1)</script>', "' OR 1=1 --", '\uD800', '../../etc/passwd', '%00%ff'];
  const validUrl = 'https://target.example/page';
  // Each defect with the endpoints it is a defect for (a hit ignores event fields, a ping ignores page fields).
  const hits = ['/api/v1/hit', '/api/v1/event'];
  const events = ['/api/v1/event'];
  const defects: [() => unknown, string[]][] = [
    [() => ({ identification_code: code, url: pick(['', 'not a url', 'ftp://target.example/', 'javascript:void(0)', `https://target.example/${'a'.repeat(3_000)}`]) }), paths],
    [() => ({ identification_code: code, url: validUrl, title: pick([42, {}, [], 'x'.repeat(2_000), true]) }), hits],
    [() => ({ identification_code: code, url: validUrl, screen_width: pick([-1, 1e9, 'wide', 1.5, null]) }), hits],
    [() => ({ identification_code: code, url: validUrl, tags: pick([[1, 2], 'tags', { ['k'.repeat(200)]: 'v' }, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`t${i}`, 'v']))]) }), hits],
    [() => ({ identification_code: code, url: validUrl, event_name: pick(['', ' ', 'e'.repeat(300), 7, null]) }), events],
    [() => ({ identification_code: pick([42, null, '', 'x'.repeat(200), '\u0000', ...strings.slice(3)]), url: validUrl }), paths],
    [() => ({ identification_code: `unknown${Math.floor(random() * 1e6)}`, url: validUrl, event_name: 'x' }), paths],
    [() => pick([null, 42, 'string', [], [null], true]), paths],
    [() => ({ identification_code: code, url: validUrl, event_name: 'e', event_duration: pick([-5, 'long', 1e12]) }), events],
    [() => ({ identification_code: code, url: validUrl, event_name: 'e', event_meta: pick([[], 'meta', { a: { nested: true } }, { a: 'x'.repeat(2_000) }]) }), events],
    [() => ({ url: validUrl, constructor: { prototype: { polluted: 1 } }, ['__proto__']: { identification_code: code } }), paths],
  ];
  const out = [];
  for (let i = 0; i < count; i++) {
    const [defect, targets] = pick(defects);
    // Batches need a token; a fake one gets 401 before anything else is looked at.
    const path = random() < 0.15 ? `${pick(targets)}/batch` : pick(targets);
    const mode = random();
    let body: string;
    if (mode < 0.15) body = JSON.stringify(defect()).slice(0, Math.floor(random() * 60));
    else if (mode < 0.2) body = pick(strings) + '{"a":';
    else if (mode < 0.25) body = Buffer.from(Array.from({ length: 200 }, () => Math.floor(random() * 256))).toString('latin1');
    else {
      const payload = defect();
      body = JSON.stringify(path.endsWith('/batch') ? pick([[payload], payload, [payload, payload]]) : payload);
    }
    const headers: Record<string, string> = { 'content-type': pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded']), 'user-agent': CHROME };
    if (path.endsWith('/batch') || random() < 0.1) headers.authorization = pick(['Bearer pa_fake', 'Bearer ', 'Basic Zm9vOmJhcg==', `Bearer ${'x'.repeat(500)}`]);
    out.push({ path, body, headers });
  }
  return out;
}

describe('hostile input', () => {
  it('when 5,000 malformed or oversized payloads arrive over 20 connections, then none gets a 5xx, the process lives, and nothing is stored', async () => {
    const payloads = hostilePayloads(5_000, site.identificationCode);
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < payloads.length) {
          const p = payloads[next++]!;
          const response = await fetch(`${h.backend.url}${p.path}`, { method: 'POST', headers: p.headers, body: p.body });
          const body = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 500) throw new Error(`${response.status} for ${p.path} ${p.body.slice(0, 200)}: ${body}`);
          if (response.status >= 400) expect(JSON.parse(body)).toHaveProperty('field');
        }
      }),
    );
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400])); // and nothing else than:
    expect([...statuses.keys()].filter((s) => ![400, 401, 404, 413].includes(s)), JSON.stringify([...statuses])).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(5_000);

    expect((await fetch(`${h.backend.url}/readyz`)).status).toBe(200);
    await h.flushed();
    for (const table of ['page_view', 'session', 'event', 'request']) {
      const [row] = await h.query<{ n: string }>(`SELECT count() AS n FROM ${table}`);
      expect(row, table).toEqual({ n: '0' });
    }
  });
});
