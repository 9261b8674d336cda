import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchTrackerBrowser,
  startPageServer,
  startRecorder,
  trackerPageHtml,
  type PageServer,
  type RecordedRequest,
  type Recorder,
  type TrackerPage,
} from './tracker-pages.ts';

let browser: Browser;
let pages: PageServer;
let recorder: Recorder;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [browser, pages, recorder] = await Promise.all([launchTrackerBrowser(), startPageServer(), startRecorder()]);
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await browser?.close();
  await pages?.close();
  await recorder?.close();
});

type VisitOptions = { host?: string; query?: string; init?: string };

/** Opens `path` (served with the tracker configured by `page`) in a fresh context and waits for the script. */
async function visit(path: string, page: TrackerPage, options: VisitOptions = {}): Promise<Page> {
  recorder.clear();
  pages.set(path, trackerPageHtml(`${recorder.url}/spur.js`, page));
  const context = await browser.newContext({
    viewport: { width: 1200, height: 800 },
    screen: { width: 1440, height: 900 },
  });
  contexts.push(context);
  if (options.init) await context.addInitScript(options.init);
  const tab = await context.newPage();
  await tab.goto(pages.origin(options.host) + path + (options.query ?? ''));
  await tab.waitForFunction('typeof window.spur === "function"');
  return tab;
}

const beacon = (kind: string, body: Record<string, unknown>, path = `/api/v1/${kind}`): RecordedRequest => ({
  method: 'POST',
  path,
  contentType: 'text/plain;charset=UTF-8',
  mode: 'no-cors',
  body,
});

/** The body every hit and event carries, for a page of the default test context. */
const pageFields = (url: string, overrides: Record<string, unknown> = {}) => ({
  identification_code: 'CODE1',
  url,
  title: 'Test page',
  referrer: '',
  screen_width: 1440,
  screen_height: 900,
  ...overrides,
});

const hit = (url: string, overrides: Record<string, unknown> = {}) => beacon('hit', pageFields(url, overrides));

const event = (url: string, name: string, meta: Record<string, string>, overrides: Record<string, unknown> = {}) =>
  beacon('event', {
    ...pageFields(url),
    event_name: name,
    event_duration: 0,
    event_meta: meta,
    non_interactive: false,
    ...overrides,
  });

const byBody = (requests: RecordedRequest[]) =>
  [...requests].sort((a, b) => JSON.stringify(a.body).localeCompare(JSON.stringify(b.body)));

describe('spur.js page views', () => {
  it('when a page loads, then one hit with its URL, title and screen goes to the script origin', async () => {
    await visit('/pricing', { attrs: { code: 'CODE1' }, title: 'Pricing · Acme' }, { query: '?utm_source=news#plans' });
    const origin = pages.origin();
    expect(await recorder.waitFor(1)).toEqual([hit(`${origin}/pricing?utm_source=news`, { title: 'Pricing · Acme' })]);
  });

  it('when the visitor came from another page, then its full URL is the referrer', async () => {
    const origin = pages.origin();
    pages.set('/from', '<!doctype html><a id="go" href="/landing">go</a>');
    const tab = await visit('/landing', { attrs: { code: 'CODE1' } });
    await recorder.waitFor(1, 0);
    recorder.clear();
    await tab.goto(`${origin}/from?campaign=spring`);
    await tab.click('#go');
    expect(await recorder.waitFor(1)).toEqual([
      hit(`${origin}/landing`, { referrer: `${origin}/from?campaign=spring` }),
    ]);
  });

  it('when data-disable-query is set, then the query is dropped from the URL and the referrer', async () => {
    const origin = pages.origin();
    pages.set('/from', '<!doctype html><a id="go" href="/landing?utm_source=x&id=7">go</a>');
    const tab = await visit('/landing', { attrs: { code: 'CODE1', 'disable-query': true } });
    await recorder.waitFor(1, 0);
    recorder.clear();
    await tab.goto(`${origin}/from?campaign=spring`);
    await tab.click('#go');
    expect(await recorder.waitFor(1)).toEqual([hit(`${origin}/landing`, { referrer: `${origin}/from` })]);
  });

  it('when referrer and resolution are disabled, then an empty referrer and a 0x0 screen are sent', async () => {
    const origin = pages.origin();
    pages.set('/from', '<!doctype html><a id="go" href="/private">go</a>');
    const tab = await visit('/private', {
      attrs: { code: 'CODE1', 'disable-referrer': true, 'disable-resolution': true },
    });
    await recorder.waitFor(1, 0);
    recorder.clear();
    await tab.goto(`${origin}/from`);
    await tab.click('#go');
    expect(await recorder.waitFor(1)).toEqual([
      hit(`${origin}/private`, { referrer: '', screen_width: 0, screen_height: 0 }),
    ]);
  });

  it('when data-code lists several codes and tags are set, then one hit per code carries the tags', async () => {
    await visit('/rollup', { attrs: { code: 'CODE1, CODE2 CODE3', 'tag-author': 'ada', 'tag-plan': 'pro' } });
    const url = `${pages.origin()}/rollup`;
    const tags = { author: 'ada', plan: 'pro' };
    expect(byBody(await recorder.waitFor(3))).toEqual([
      hit(url, { tags }),
      hit(url, { identification_code: 'CODE2', tags }),
      hit(url, { identification_code: 'CODE3', tags }),
    ]);
  });

  it('when data-endpoint is set, then requests go there instead of the script origin', async () => {
    await visit('/proxied', { attrs: { code: 'CODE1', endpoint: `${recorder.url}/stats/` } });
    expect(await recorder.waitFor(1)).toEqual([
      beacon('hit', pageFields(`${pages.origin()}/proxied`), '/stats/api/v1/hit'),
    ]);
  });

  it('when an SPA navigates, then each new URL is one hit and repeats of the same URL are not', async () => {
    // Beacons travel on parallel connections: wait for each before causing the next, so order is defined.
    const tab = await visit('/app', { attrs: { code: 'CODE1' } });
    await recorder.waitFor(1, 0);
    await tab.evaluate(`history.pushState({}, '', '/app/a')`);
    await recorder.waitFor(2, 0);
    await tab.evaluate(`history.pushState({}, '', '/app/a')`);
    await tab.evaluate(`history.replaceState({ scroll: 1 }, '', '/app/a')`);
    await tab.evaluate(`history.replaceState({}, '', '/app/b')`);
    await recorder.waitFor(3, 0);
    await tab.evaluate('history.back()');
    await recorder.waitFor(4, 0);
    // Without data-hash a fragment change is the same page.
    await tab.evaluate(`location.hash = '#section'`);
    const origin = pages.origin();
    expect(await recorder.waitFor(4)).toEqual([
      hit(`${origin}/app`),
      hit(`${origin}/app/a`),
      hit(`${origin}/app/b`),
      hit(`${origin}/app/a`),
    ]);
  });

  it('when data-hash is set, then the fragment is part of the URL and hash routes are page views', async () => {
    const tab = await visit('/spa', { attrs: { code: 'CODE1', hash: true } }, { query: '#/home' });
    await recorder.waitFor(1, 0);
    await tab.evaluate(`location.hash = '#/about'`);
    await recorder.waitFor(2, 0);
    await tab.evaluate(`history.pushState({}, '', '/spa#/contact')`);
    const origin = pages.origin();
    expect(await recorder.waitFor(3)).toEqual([
      hit(`${origin}/spa#/home`),
      hit(`${origin}/spa#/about`),
      hit(`${origin}/spa#/contact`),
    ]);
  });

  it('when data-exclude matches the path, then nothing is sent from that page, events included', async () => {
    const tab = await visit('/admin/panel', { attrs: { code: 'CODE1', exclude: '^/admin, /secret$' } });
    await tab.evaluate(`history.pushState({}, '', '/docs')`);
    await recorder.waitFor(1, 0);
    await tab.evaluate(`history.pushState({}, '', '/team/secret')`);
    await tab.evaluate(`spur('Clicked')`);
    await tab.evaluate(`history.pushState({}, '', '/pricing')`);
    const origin = pages.origin();
    expect(await recorder.waitFor(2)).toEqual([hit(`${origin}/docs`), hit(`${origin}/pricing`)]);
  });

  it('when data-include is set, then only matching paths are sent', async () => {
    const tab = await visit('/blog/one', { attrs: { code: 'CODE1', include: '^/blog/' } });
    await recorder.waitFor(1, 0);
    await tab.evaluate(`history.pushState({}, '', '/shop')`);
    await tab.evaluate(`history.pushState({}, '', '/blog/two')`);
    const origin = pages.origin();
    expect(await recorder.waitFor(2)).toEqual([hit(`${origin}/blog/one`), hit(`${origin}/blog/two`)]);
  });
});

describe('spur.js stays silent when it must', () => {
  it('when localStorage.spur_ignore is "1", then nothing is sent until the visitor opts back in', async () => {
    const tab = await visit(
      '/opted-out',
      { attrs: { code: 'CODE1', 'enable-sessions': true, 'session-interval': '1' } },
      { init: `localStorage.setItem('spur_ignore', '1')` },
    );
    await tab.evaluate(`spur('Signup').then(() => spur404())`);
    await tab.evaluate(`history.pushState({}, '', '/next')`);
    expect(await recorder.waitFor(0, 1_500)).toEqual([]);
    await tab.evaluate(`localStorage.removeItem('spur_ignore'); spur('Back')`);
    const back = await recorder.waitFor(1, 0);
    expect(back[0]).toEqual(event(`${pages.origin()}/next`, 'Back', {}));
  });

  it('when the page is on localhost or 127.0.0.1 without data-dev, then nothing is sent', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      const tab = await visit('/dev', { attrs: { code: 'CODE1' } }, { host });
      await tab.evaluate(`spur('Signup')`);
      expect(await recorder.waitFor(0, 500)).toEqual([]);
    }
  });

  it('when data-dev is set on 127.0.0.1, then the page view is sent', async () => {
    await visit('/dev', { attrs: { code: 'CODE1', dev: true } }, { host: '127.0.0.1' });
    expect(await recorder.waitFor(1)).toEqual([hit(`${pages.origin('127.0.0.1')}/dev`)]);
  });
});

describe('spur.js events', () => {
  it('when spur() is called, then one event with meta, duration and interactivity is sent and the promise resolves', async () => {
    const tab = await visit('/signup', { attrs: { code: 'CODE1' } });
    await recorder.waitFor(1, 0);
    recorder.clear();
    const resolved = await tab.evaluate(
      `spur('Signup', { meta: { plan: 'pro', seats: 3, coupon: null }, duration: 12.5, nonInteractive: true }).then(() => 'resolved')`,
    );
    expect(resolved).toBe('resolved');
    await recorder.waitFor(1, 0);
    await tab.evaluate(`spur('Ping')`);
    const url = `${pages.origin()}/signup`;
    expect(await recorder.waitFor(2)).toEqual([
      event(url, 'Signup', { plan: 'pro', seats: '3' }, { event_duration: 12.5, non_interactive: true }),
      event(url, 'Ping', {}),
    ]);
  });

  it('when an element with data-spur-event is clicked, then its event carries the data-spur-meta-* values', async () => {
    const tab = await visit('/newsletter', {
      attrs: { code: 'CODE1' },
      body: '<button data-spur-event="Newsletter" data-spur-meta-position="footer" data-spur-meta-variant="b"><span id="join">Join</span></button>',
    });
    await recorder.waitFor(1, 0);
    recorder.clear();
    await tab.click('#join');
    await tab.click('#join', { button: 'right' });
    expect(await recorder.waitFor(1)).toEqual([
      event(`${pages.origin()}/newsletter`, 'Newsletter', { position: 'footer', variant: 'b' }),
    ]);
  });

  it('when spur404() is called, then a "404 Page Not Found" event names the path', async () => {
    const tab = await visit('/missing/page', { attrs: { code: 'CODE1' } }, { query: '?from=menu' });
    await recorder.waitFor(1, 0);
    recorder.clear();
    await tab.evaluate('spur404()');
    expect(await recorder.waitFor(1)).toEqual([
      event(`${pages.origin()}/missing/page?from=menu`, '404 Page Not Found', { path: '/missing/page' }),
    ]);
  });
});

describe('spur.js links', () => {
  const links = () =>
    [
      `<a id="out" href="${pages.origin('elsewhere.test')}/path?ref=1#top">out</a>`,
      '<a id="internal" href="/about">about</a>',
      '<a id="pdf" href="/files/Report.PDF?v=2">report</a>',
      '<a id="md" href="/files/notes.md">notes</a>',
    ].join(' ');

  it('when outbound and download links are clicked, then each sends one event and other links none', async () => {
    const tab = await visit('/links', { attrs: { code: 'CODE1' }, body: links() });
    await recorder.waitFor(1, 0);
    recorder.clear();
    const url = `${pages.origin()}/links`;
    await tab.click('#out');
    await recorder.waitFor(1, 0);
    await tab.click('#pdf');
    await recorder.waitFor(2, 0);
    await tab.click('#out', { button: 'middle' });
    await recorder.waitFor(3, 0);
    await tab.click('#internal');
    await tab.click('#md');
    await tab.click('#out', { button: 'right' });
    expect(await recorder.waitFor(3)).toEqual([
      event(url, 'Outbound Link Click', { url: `${pages.origin('elsewhere.test')}/path?ref=1` }),
      event(url, 'File Download', { file: `${pages.origin()}/files/Report.PDF?v=2` }),
      event(url, 'Outbound Link Click', { url: `${pages.origin('elsewhere.test')}/path?ref=1` }),
    ]);
  });

  it('when an outbound link navigates away, then its event still arrives', async () => {
    pages.set('/arrived', '<!doctype html><title>Elsewhere</title>');
    const target = `${pages.origin('elsewhere.test')}/arrived`;
    const tab = await visit('/leaving', { attrs: { code: 'CODE1' }, body: `<a id="away" href="${target}">away</a>` });
    await recorder.waitFor(1, 0);
    recorder.clear();
    await Promise.all([tab.waitForURL(target), tab.click('#away')]);
    expect(await recorder.waitFor(1)).toEqual([
      event(`${pages.origin()}/leaving`, 'Outbound Link Click', { url: target }),
    ]);
  });

  it('when link tracking is disabled, then outbound and download clicks send nothing', async () => {
    const tab = await visit('/quiet-links', {
      attrs: { code: 'CODE1', 'disable-outbound-links': true, 'disable-downloads': true },
      body: links(),
    });
    await recorder.waitFor(1, 0);
    recorder.clear();
    await tab.click('#out');
    await tab.click('#pdf');
    await tab.evaluate(`spur('Sentinel')`);
    expect(await recorder.waitFor(1)).toEqual([event(`${pages.origin()}/quiet-links`, 'Sentinel', {})]);
  });

  it('when data-download-extensions is set, then only those extensions count as downloads', async () => {
    const tab = await visit('/docs-links', {
      attrs: { code: 'CODE1', 'download-extensions': 'md, txt' },
      body: links(),
    });
    await recorder.waitFor(1, 0);
    recorder.clear();
    await tab.click('#pdf');
    await tab.click('#md');
    expect(await recorder.waitFor(1)).toEqual([
      event(`${pages.origin()}/docs-links`, 'File Download', { file: `${pages.origin()}/files/notes.md` }),
    ]);
  });
});

describe('spur.js sessions and transport', () => {
  it('when data-enable-sessions is set, then a visible page pings /session at the interval', async () => {
    await visit('/reading', { attrs: { code: 'CODE1', 'enable-sessions': true, 'session-interval': '1' } });
    await recorder.waitFor(3, 0);
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    const url = `${pages.origin()}/reading`;
    const ping = beacon('session', { identification_code: 'CODE1', url });
    const [first, ...pings] = recorder.requests;
    expect(first).toEqual(hit(url));
    expect(pings.length).toBeGreaterThanOrEqual(2);
    expect(pings).toEqual(pings.map(() => ping));
  });

  it('when the page is hidden or sessions are off, then no pings are sent', async () => {
    await visit(
      '/background',
      { attrs: { code: 'CODE1', 'enable-sessions': true, 'session-interval': '1' } },
      { init: `Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' })` },
    );
    expect(await recorder.waitFor(1, 2_500)).toEqual([hit(`${pages.origin()}/background`)]);
    await visit('/no-sessions', { attrs: { code: 'CODE1', 'session-interval': '1' } });
    expect(await recorder.waitFor(1, 2_500)).toEqual([hit(`${pages.origin()}/no-sessions`)]);
  });

  it('when sendBeacon refuses or is missing, then the request goes by fetch without a preflight', async () => {
    await visit('/refused', { attrs: { code: 'CODE1' } }, { init: 'navigator.sendBeacon = () => false' });
    const viaFetch = { ...hit(`${pages.origin()}/refused`), mode: 'cors' };
    expect(await recorder.waitFor(1)).toEqual([viaFetch]);
    await visit(
      '/missing-beacon',
      { attrs: { code: 'CODE1' } },
      {
        init: `Object.defineProperty(Navigator.prototype, 'sendBeacon', { value: undefined })`,
      },
    );
    expect(await recorder.waitFor(1)).toEqual([{ ...hit(`${pages.origin()}/missing-beacon`), mode: 'cors' }]);
  });
});
