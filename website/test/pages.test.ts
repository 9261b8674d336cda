import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configVariableNames } from '@spur/config';
import { apiReference } from '@spur/website';
import { PUBLIC, expectedPages, parsePage, startTestWebsite } from './website-harness.ts';

let site: Awaited<ReturnType<typeof startTestWebsite>>;
beforeAll(async () => {
  site = await startTestWebsite();
});
afterAll(() => site.stop());

/** Numeric character references back to characters: pages are sent as pure ASCII. */
const decode = (html: string) => html.replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)));

const get = async (path: string, init?: RequestInit) => {
  const response = await fetch(site.url + path, { redirect: 'manual', ...init });
  return { response, body: await response.text() };
};

describe('website pages', () => {
  it('when any page is requested, then it answers 200 with its heading, title, canonical URL and Open Graph tags', async () => {
    const pages = expectedPages();
    expect(pages.size).toBeGreaterThanOrEqual(25);
    for (const [path, { h1, title }] of pages) {
      const { response, body } = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      const page = parsePage(body);
      expect(page.unbalanced, path).toEqual([]);
      // One character beyond ASCII would turn the page into a two-byte string and halve throughput.
      expect(body.match(/[\u0080-\uffff]/)?.[0], path).toBeUndefined();
      expect(page.h1, path).toEqual([h1]);
      expect(page.title, path).toBe(title);
      expect(page.canonical, path).toBe(`${PUBLIC.website}${path}`);
      expect(page.meta.get('og:url'), path).toBe(`${PUBLIC.website}${path}`);
      expect(page.meta.get('og:title'), path).toBe(title.replace(/ — Spur$/, ''));
      expect(page.meta.get('description')?.length, path).toBeGreaterThan(20);
    }
  });

  it('when a page is read, then the only script is spur.js with the configured code, and every image has a size', async () => {
    const imagesByPage: Record<string, string[]> = {};
    for (const path of expectedPages().keys()) {
      const page = parsePage((await get(path)).body);
      expect(page.scripts, path).toEqual([
        { defer: '', src: `${PUBLIC.backend}/spur.js`, 'data-code': PUBLIC.trackingCode },
      ]);
      for (const image of page.images) {
        expect(Number(image.width), `${path} ${image.src}`).toBeGreaterThan(0);
        expect(Number(image.height), `${path} ${image.src}`).toBeGreaterThan(0);
        expect(image.alt, `${path} ${image.src}`).toBeTruthy();
        (imagesByPage[path] ??= []).push(image.src!);
      }
    }
    // The loop checked these images and no others: a new image, or a lost one, shows up here.
    expect(imagesByPage).toEqual({ '/': ['/images/dashboard.svg'] });
    const preview = await get('/images/dashboard.svg');
    expect(preview.response.status).toBe(200);
    expect(preview.response.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
  });

  it('when no tracking code is configured, then no script tag is rendered and the CSP allows no script', async () => {
    const bare = await startTestWebsite({ WEBSITE_TRACKING_CODE: '' });
    try {
      const response = await fetch(`${bare.url}/`);
      expect(parsePage(await response.text()).scripts).toEqual([]);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'none'");
    } finally {
      await bare.stop();
    }
  });

  it('sends security headers that only allow spur.js from the API origin', async () => {
    const { response } = await get('/docs');
    expect(response.headers.get('content-security-policy')).toBe(
      `default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; script-src ${PUBLIC.backend}; connect-src ${PUBLIC.backend}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('links home to the live demo, sign-up and log-in on the dashboard', async () => {
    const home = parsePage((await get('/')).body);
    expect(home.links).toContain(`${PUBLIC.dashboard}/public/demo`);
    expect(home.links).toContain(`${PUBLIC.dashboard}/signup`);
    expect(home.links).toContain(`${PUBLIC.dashboard}/login`);
    expect((await get('/signup')).response.headers.get('location')).toBe(`${PUBLIC.dashboard}/signup`);
    expect((await get('/demo')).response.headers.get('location')).toBe(`${PUBLIC.dashboard}/public/demo`);
  });

  it('when a page does not exist, then a 404 page suggests the closest page and is not indexed', async () => {
    const { response, body } = await get('/docs/traking-script');
    expect(response.status).toBe(404);
    const page = parsePage(body);
    expect(page.h1).toEqual(['Page not found']);
    expect(page.unbalanced).toEqual([]);
    expect(page.meta.get('robots')).toBe('noindex');
    expect(page.canonical).toBeUndefined();
    expect(page.links).toContain('/docs/tracking-script');
    expect(body).toContain('<code>/docs/traking-script</code>');
    const hostile = await get('/%3Cscript%3Ealert(1)%3C/script%3E');
    expect(hostile.response.status).toBe(404);
    expect(hostile.body).not.toContain('<script>alert');
  });

  it('when a path has a trailing slash or a short alias, then it redirects to the one canonical page', async () => {
    const slash = await get('/docs/?x=1');
    expect(slash.response.status).toBe(301);
    expect(slash.response.headers.get('location')).toBe('/docs?x=1');
    const alias = await get('/privacy');
    expect(alias.response.status).toBe(301);
    expect(alias.response.headers.get('location')).toBe('/legal/privacy');
  });

  it('when many pages are requested at once, then every answer is complete and belongs to its page', async () => {
    // Response buffers are pooled: concurrent answers must never share or mix bytes.
    const paths = [...expectedPages().keys()];
    const expected = new Map<string, string>();
    for (const path of paths) expected.set(path, (await get(path)).body);
    const burst = Array.from({ length: 300 }, (_, i) => paths[i % paths.length]!);
    const answers = await Promise.all(burst.map(async (path) => ({ path, body: (await get(path)).body })));
    const wrong = answers.filter((a) => a.body !== expected.get(a.path)).map((a) => a.path);
    expect(wrong).toEqual([]);
  });

  it('answers HEAD without a body and refuses other methods on pages', async () => {
    const head = await get('/features', { method: 'HEAD' });
    expect(head.response.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.response.headers.get('content-length'))).toBe(Buffer.byteLength((await get('/features')).body));
    const post = await get('/features', { method: 'POST' });
    expect(post.response.status).toBe(405);
    expect(post.response.headers.get('allow')).toBe('GET, HEAD');
    expect((await get('/healthz')).body).toBe('{"status":"ok"}');
  });
});

describe('pricing without JavaScript', () => {
  const prices = (body: string) =>
    [...decode(body).matchAll(/<p class="price" data-plan="(\w+)">([^<]+) <small>\/ (\w+)<\/small>/g)].map(
      // The template breaks the line after the tag (Prettier): compare the price without that whitespace.
      (m) => `${m[1]} ${m[2]!.trim()} / ${m[3]}`,
    );

  it('when nothing is chosen, then monthly prices of the smallest tier show and the toggle links to yearly', async () => {
    const { body } = await get('/pricing');
    expect(prices(body)).toEqual(['starter €6 / month', 'business €12 / month']);
    // Rollup views exist again (issue 18): sold with the Business plan only.
    expect(decode(body)).toMatch(/<td>Rollup views across several sites<\/td>\s*<td>—<\/td>\s*<td>✓<\/td>/);
    expect(decode((await get('/features')).body)).toContain(
      'Rollup views that combine several sites in one dashboard, with every report and filter',
    );
    const page = parsePage(body);
    expect(page.current).toEqual([
      { href: '/pricing', text: 'Pricing' },
      { href: '/pricing', text: 'Monthly' },
      { href: '/pricing', text: '10k' },
      { href: '/pricing', text: '10k' },
    ]);
    expect(page.links).toContain('/pricing?billing=yearly');
  });

  it('when the yearly link is followed, then yearly prices show and the tier links keep the yearly choice', async () => {
    const { body } = await get('/pricing?billing=yearly');
    expect(prices(body)).toEqual(['starter €60 / year', 'business €120 / year']);
    expect(decode(body)).toContain('Billed yearly: €5 a month, 2 months free.');
    const page = parsePage(body);
    expect(page.current.map((c) => c.text)).toEqual(['Pricing', 'Yearly: 2 months free', '10k', '10k']);
    expect(page.links).toContain('/pricing?billing=yearly&views=1000000');
    const million = await get('/pricing?billing=yearly&views=1000000');
    expect(prices(million.body)).toEqual(['starter €450 / year', 'business €900 / year']);
    expect(parsePage(million.body).links).toContain('/pricing?views=1000000');
    // Each plan's sign-up link carries its plan, the chosen tier and the interval on to checkout.
    expect(parsePage(million.body).links.filter((l) => l.includes('/signup?'))).toEqual([
      `${PUBLIC.dashboard}/signup?plan=starter&tier=1000000&interval=yearly`,
      `${PUBLIC.dashboard}/signup?plan=business&tier=1000000&interval=yearly`,
    ]);
  });

  it('when the query is nonsense, then the defaults show instead of an error', async () => {
    const { response, body } = await get('/pricing?billing=weekly&views=123');
    expect(response.status).toBe(200);
    expect(prices(body)).toEqual(['starter €6 / month', 'business €12 / month']);
  });
});

describe('docs content', () => {
  it('documents every data- attribute and the JS API of the tracking script', async () => {
    const { body } = await get('/docs/tracking-script');
    const ids = parsePage(body).ids;
    for (const attribute of [
      'data-code',
      'data-endpoint',
      'data-dev',
      'data-hash',
      'data-include',
      'data-exclude',
      'data-disable-query',
      'data-disable-referrer',
      'data-disable-resolution',
      'data-disable-outbound-links',
      'data-disable-downloads',
      'data-download-extensions',
      'data-enable-sessions',
      'data-tag',
    ]) {
      expect(ids, attribute).toContain(attribute);
    }
    for (const api of ['spur-name-options', 'events-on-elements', 'spur404', 'excluding-your-own-visits'])
      expect(ids, api).toContain(api);
    for (const text of [
      'data-spur-meta-',
      'nonInteractive',
      'localStorage.spur_ignore = &quot;1&quot;',
      'data-session-interval',
    ])
      expect(body).toContain(text);
  });

  it('renders the API reference from data, one section per endpoint', async () => {
    const page = parsePage((await get('/docs/api')).body);
    const expected = apiReference.endpoints.map((e) => `${e.method.toLowerCase()}${e.path.replaceAll('/', '-')}`);
    expect(expected).toEqual([
      'post-api-v1-token',
      'post-api-v1-hit',
      'post-api-v1-hit-batch',
      'get-api-v1-hit',
      'post-api-v1-event',
      'post-api-v1-event-batch',
      'post-api-v1-session',
      'post-api-v1-session-batch',
    ]);
    for (const id of [...expected, 'metric-definitions']) expect(page.ids, id).toContain(id);
  });

  it('lists every configuration variable on the self-hosting page', async () => {
    const { body } = await get('/docs/self-hosting');
    for (const name of configVariableNames()) expect(body, name).toContain(`<code>${name}</code>`);
  });

  it('credits DB-IP on every page, as its licence asks', async () => {
    for (const path of ['/', '/legal/attributions', '/docs/privacy']) {
      expect(parsePage((await get(path)).body).links, path).toContain('https://db-ip.com');
    }
  });
});
