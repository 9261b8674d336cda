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

type Hostile = {
  path: string;
  /** A function is sent as a stream: chunked, with no Content-Length to refuse it by. */
  body: string | (() => ReadableStream<Uint8Array>);
  headers: Record<string, string>;
  /** Asserted exactly where the answer does not depend on the order of checks. */
  expected?: { status: number; field: string };
};

const KB = 1_024;
const SINGLE_LIMIT = 64 * KB;
const BATCH_LIMIT = 4 * KB * KB;

/** `text` sent in `chunks` pieces, chunked, with no Content-Length. */
const streamed =
  (text: string, chunks = 8) =>
  () => {
    const bytes = Buffer.from(text);
    const step = Math.ceil(bytes.length / chunks);
    let offset = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(offset, (offset += step)));
      },
    });
  };

/** A JSON object of exactly `bytes` bytes (UTF-8): `fields`, then a padding string of the rest. */
function exactly(bytes: number, fields: Record<string, unknown>, key = 'padding'): string {
  const bare = JSON.stringify({ ...fields, [key]: '' });
  return JSON.stringify({ ...fields, [key]: 'x'.repeat(bytes - Buffer.byteLength(bare)) });
}

/**
 * Bodies over the limits, and strings just as huge that fit inside them. Over a limit is 413
 * whatever the body holds; within it, a huge string is a 400 naming its field.
 */
function sizeDefects(code: string, random: () => number): (() => Hostile)[] {
  const url = 'https://target.example/page';
  const huge = () => 'x'.repeat(40 * KB + Math.floor(random() * 20 * KB));
  const json = { 'content-type': 'application/json', 'user-agent': CHROME };
  const single = (path: string, body: Hostile['body'], status: number, field: string): Hostile => ({
    path,
    body,
    headers: json,
    expected: { status, field },
  });
  const tooLarge = (path: string, body: Hostile['body']) => single(path, body, 413, 'body');
  return [
    () => tooLarge('/api/v1/hit', exactly(SINGLE_LIMIT + 1, { identification_code: code, url })),
    () =>
      tooLarge(
        '/api/v1/event',
        JSON.stringify({
          identification_code: code,
          url,
          event_name: 'e',
          event_meta: { a: 'x'.repeat(SINGLE_LIMIT + Math.floor(random() * 200 * KB)) },
        }),
      ),
    // Under the limit counted in characters, over it in bytes.
    () => tooLarge('/api/v1/hit', JSON.stringify({ identification_code: code, url, title: '💥'.repeat(17 * KB) })),
    () =>
      tooLarge(
        '/api/v1/session',
        streamed(
          JSON.stringify({
            identification_code: code,
            url,
            padding: 'x'.repeat(SINGLE_LIMIT + Math.floor(random() * 100 * KB)),
          }),
        ),
      ),
    () => tooLarge('/api/v1/hit', 'x'.repeat(KB * KB)),
    // At the limit exactly: read, parsed, and refused for its field.
    () => single('/api/v1/hit', exactly(SINGLE_LIMIT, { identification_code: code, url }, 'title'), 400, 'title'),
    () => single('/api/v1/hit', JSON.stringify({ identification_code: code, url: `${url}?q=${huge()}` }), 400, 'url'),
    () => single('/api/v1/hit', JSON.stringify({ identification_code: code, url, title: huge() }), 400, 'title'),
    () =>
      single(
        '/api/v1/hit',
        JSON.stringify({ identification_code: code, url, referrer: `https://elsewhere.example/${huge()}` }),
        400,
        'referrer',
      ),
    () =>
      single('/api/v1/hit', JSON.stringify({ identification_code: code, url, user_agent: huge() }), 400, 'user_agent'),
    () =>
      single(
        '/api/v1/hit',
        JSON.stringify({ identification_code: code, url, tags: { author: huge() } }),
        400,
        'tags.author',
      ),
    () =>
      single(
        '/api/v1/hit',
        JSON.stringify({ identification_code: code, url, title: '\u0000'.repeat(10 * KB) }),
        400,
        'title',
      ),
    () =>
      single(
        '/api/v1/hit',
        JSON.stringify({ identification_code: code, url, title: '\uD800'.repeat(10 * KB) }),
        400,
        'title',
      ),
    () =>
      single(
        '/api/v1/event',
        JSON.stringify({ identification_code: code, url, event_name: huge() }),
        400,
        'event_name',
      ),
    () =>
      single(
        '/api/v1/event',
        JSON.stringify({ identification_code: code, url, event_name: 'e', event_meta: { k: huge() } }),
        400,
        'event_meta.k',
      ),
    () => single('/api/v1/session', JSON.stringify({ identification_code: huge(), url }), 400, 'identification_code'),
    () => single('/api/v1/event', '['.repeat(60 * KB), 400, 'body'),
    () =>
      single(
        '/api/v1/hit',
        `{"identification_code":"${code}","url":"${url}","title":"${'x'.repeat(60 * KB)}`,
        400,
        'body',
      ),
  ];
}

/** Every payload has at least one defect, so a correct server stores nothing. */
function hostilePayloads(count: number, code: string): Hostile[] {
  const random = rng(42);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const paths = ['/api/v1/hit', '/api/v1/event', '/api/v1/session'];
  const strings = [
    '',
    ' ',
    '\u0000',
    '💥'.repeat(300),
    'x'.repeat(3_000),
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '\uD800',
    '../../etc/passwd',
    '%00%ff',
  ];
  const validUrl = 'https://target.example/page';
  // Each defect with the endpoints it is a defect for (a hit ignores event fields, a ping ignores page fields).
  const hits = ['/api/v1/hit', '/api/v1/event'];
  const events = ['/api/v1/event'];
  const defects: [() => unknown, string[]][] = [
    [
      () => ({
        identification_code: code,
        url: pick([
          '',
          'not a url',
          'ftp://target.example/',
          'javascript:void(0)',
          `https://target.example/${'a'.repeat(3_000)}`,
        ]),
      }),
      paths,
    ],
    [() => ({ identification_code: code, url: validUrl, title: pick([42, {}, [], 'x'.repeat(2_000), true]) }), hits],
    [() => ({ identification_code: code, url: validUrl, screen_width: pick([-1, 1e9, 'wide', 1.5, null]) }), hits],
    [
      () => ({
        identification_code: code,
        url: validUrl,
        tags: pick([
          [1, 2],
          'tags',
          { ['k'.repeat(200)]: 'v' },
          Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`t${i}`, 'v'])),
        ]),
      }),
      hits,
    ],
    [
      () => ({ identification_code: code, url: validUrl, event_name: pick(['', ' ', 'e'.repeat(300), 7, null]) }),
      events,
    ],
    [
      () => ({
        identification_code: pick([42, null, '', 'x'.repeat(200), '\u0000', ...strings.slice(3)]),
        url: validUrl,
      }),
      paths,
    ],
    [() => ({ identification_code: `unknown${Math.floor(random() * 1e6)}`, url: validUrl, event_name: 'x' }), paths],
    [() => pick([null, 42, 'string', [], [null], true]), paths],
    [
      () => ({ identification_code: code, url: validUrl, event_name: 'e', event_duration: pick([-5, 'long', 1e12]) }),
      events,
    ],
    [
      () => ({
        identification_code: code,
        url: validUrl,
        event_name: 'e',
        event_meta: pick([[], 'meta', { a: { nested: true } }, { a: 'x'.repeat(2_000) }]),
      }),
      events,
    ],
    [
      () => ({
        url: validUrl,
        constructor: { prototype: { polluted: 1 } },
        ['__proto__']: { identification_code: code },
      }),
      paths,
    ],
  ];
  const sized = sizeDefects(code, random);
  // Batch bodies over their 4 MB limit are refused before the token is looked at.
  const out: Hostile[] = [
    {
      path: '/api/v1/hit/batch',
      body: 'x'.repeat(BATCH_LIMIT + 1),
      headers: { 'content-type': 'application/json', authorization: 'Bearer pa_fake' },
      expected: { status: 413, field: 'body' },
    },
    {
      path: '/api/v1/event/batch',
      body: streamed(JSON.stringify([{ padding: 'x'.repeat(BATCH_LIMIT) }]), 64),
      headers: { 'content-type': 'application/json' },
      expected: { status: 413, field: 'body' },
    },
  ];
  while (out.length < count) {
    if (random() < 0.04) {
      out.push(pick(sized)());
      continue;
    }
    const [defect, targets] = pick(defects);
    // Batches need a token; a fake one gets 401 before anything else is looked at.
    const path = random() < 0.15 ? `${pick(targets)}/batch` : pick(targets);
    const mode = random();
    let body: string;
    if (mode < 0.15) body = JSON.stringify(defect()).slice(0, Math.floor(random() * 60));
    else if (mode < 0.2) body = pick(strings) + '{"a":';
    else if (mode < 0.25)
      body = Buffer.from(Array.from({ length: 200 }, () => Math.floor(random() * 256))).toString('latin1');
    else {
      const payload = defect();
      body = JSON.stringify(path.endsWith('/batch') ? pick([[payload], payload, [payload, payload]]) : payload);
    }
    const headers: Record<string, string> = {
      'content-type': pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded']),
      'user-agent': CHROME,
    };
    if (path.endsWith('/batch') || random() < 0.1)
      headers.authorization = pick(['Bearer pa_fake', 'Bearer ', 'Basic Zm9vOmJhcg==', `Bearer ${'x'.repeat(500)}`]);
    out.push({ path, body, headers });
  }
  return out;
}

describe('hostile input', () => {
  it('when 5,000 malformed or oversized payloads arrive over 20 connections, then none gets a 5xx, the process lives, and nothing is stored', async () => {
    const payloads = hostilePayloads(5_000, site.identificationCode);
    const statuses = new Map<number, number>();
    let next = 0;
    let sized = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < payloads.length) {
          const p = payloads[next++]!;
          const body = typeof p.body === 'string' ? p.body : p.body();
          // `duplex` is required by undici for streamed bodies but missing from Node 20's RequestInit type.
          const init = { method: 'POST', headers: p.headers, body, duplex: 'half' } as RequestInit;
          const response = await fetch(`${h.backend.url}${p.path}`, init);
          const text = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const shown = typeof p.body === 'string' ? p.body.slice(0, 200) : '(streamed)';
          if (response.status >= 500) throw new Error(`${response.status} for ${p.path} ${shown}: ${text}`);
          if (response.status >= 400) expect(JSON.parse(text)).toHaveProperty('field');
          if (p.expected) {
            const answered = { status: response.status, field: (JSON.parse(text) as { field?: string }).field };
            expect(answered, `${p.path} ${shown.slice(0, 100)}`).toEqual(p.expected);
            sized++;
          }
        }
      }),
    );
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400])); // and nothing else than:
    expect(
      [...statuses.keys()].filter((s) => ![400, 401, 404, 413].includes(s)),
      JSON.stringify([...statuses]),
    ).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(5_000);
    // Bodies over the limits and huge strings within them were among the inputs.
    expect(sized).toBeGreaterThan(100);
    expect(statuses.get(413)).toBeGreaterThan(40);

    expect((await fetch(`${h.backend.url}/readyz`)).status).toBe(200);
    await h.flushed();
    for (const table of ['page_view', 'session', 'event', 'request']) {
      const [row] = await h.query<{ n: string }>(`SELECT count() AS n FROM ${table}`);
      expect(row, table).toEqual({ n: '0' });
    }
  });
});
