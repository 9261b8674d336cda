/**
 * Helpers for driving spur.js in real Chromium: a static page server, a request recorder standing
 * in for the backend, and a browser that resolves `*.test` names to loopback so pages can live on a
 * realistic hostname (the script ignores localhost and 127.0.0.1 unless `data-dev` is set).
 * Reused by the end-to-end test that points the same pages at the real backend.
 */
import type http from 'node:http';
import type { Browser } from 'playwright-core';
import { listen, type RunningServer } from '@spur/runtime';
import { launchChromium } from '@spur/testkit';
import { buildTrackerAsset } from '@spur/tracker';

/** Hostname of the test pages; Chromium maps it to 127.0.0.1 (see launchTrackerBrowser). */
export const PAGE_HOST = 'site.test';

/** The foundation's Chromium plus a resolver rule for `*.test`: no DNS exists here. */
export function launchTrackerBrowser(): Promise<Browser> {
  return launchChromium(['--host-resolver-rules=MAP *.test 127.0.0.1']);
}

export type TrackerPage = {
  /** `data-*` attributes of the script tag without the prefix; `true` writes a bare attribute. */
  attrs: Record<string, string | true>;
  title?: string;
  /** HTML placed before the script tag (inline setup such as stubbing sendBeacon). */
  head?: string;
  body?: string;
};

const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function trackerPageHtml(scriptSrc: string, page: TrackerPage): string {
  const attrs = Object.entries(page.attrs)
    .map(([name, value]) => (value === true ? ` data-${name}` : ` data-${name}="${escapeHtml(value)}"`))
    .join('');
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<title>${escapeHtml(page.title ?? 'Test page')}</title>`,
    page.head ?? '',
    `<script defer src="${escapeHtml(scriptSrc)}"${attrs}></script>`,
    `</head><body>${page.body ?? ''}</body></html>`,
  ].join('');
}

export type PageServer = RunningServer & {
  /** The page server's origin on `host` (default PAGE_HOST), e.g. `http://site.test:41234`. */
  origin: (host?: string) => string;
  /** Serves `html` at `path` (exact pathname; the query string is ignored). */
  set: (path: string, html: string) => void;
};

/**
 * Serves registered HTML by pathname. Anything else answers 204 No Content, which a browser does not
 * navigate to, so clicks on download links and outbound links keep the test page open.
 */
export async function startPageServer(): Promise<PageServer> {
  const pages = new Map<string, string>();
  const running = await listen(
    (req, res) => {
      const html = pages.get(new URL(req.url ?? '/', 'http://x').pathname);
      if (html === undefined) {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
    },
    0,
    '127.0.0.1',
  );
  return {
    ...running,
    origin: (host = PAGE_HOST) => `http://${host}:${running.port}`,
    set: (path, html) => pages.set(path, html),
  };
}

export type RecordedRequest = {
  method: string;
  path: string;
  contentType: string | undefined;
  /** Sec-Fetch-Mode: `no-cors` for a beacon, `cors` for the fetch fallback. */
  mode: string | undefined;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
};

export type Recorder = RunningServer & {
  requests: RecordedRequest[];
  clear: () => void;
  /**
   * Waits until at least `count` requests arrived, then `settleMs` longer so that requests which
   * must not be sent have had their chance to show up; returns everything recorded.
   */
  waitFor: (count: number, settleMs?: number) => Promise<RecordedRequest[]>;
};

/**
 * A stand-in for the backend: serves the built spur.js at /spur.js (so a script without
 * data-endpoint sends here) and records every other request, preflights included.
 */
export async function startRecorder(): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const asset = await buildTrackerAsset();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const cors = { 'Access-Control-Allow-Origin': '*' };
    if (req.method === 'GET' && req.url === '/spur.js') {
      res.writeHead(200, { ...cors, 'Content-Type': 'application/javascript; charset=utf-8' }).end(asset.code);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Kept as text: a test comparing bodies will show what arrived.
      }
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        mode: req.headers['sec-fetch-mode'] as string | undefined,
        body,
      });
      res.writeHead(202, cors).end();
    });
  };
  const running = await listen(handler, 0, '127.0.0.1');
  return {
    ...running,
    requests,
    clear: () => {
      requests.length = 0;
    },
    waitFor: async (count, settleMs = 400) => {
      const deadline = Date.now() + 10_000;
      while (requests.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, settleMs));
      return [...requests];
    },
  };
}
