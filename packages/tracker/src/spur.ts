/**
 * spur.js, the tracking script site owners embed:
 *   <script defer src="https://api.example/spur.js" data-code="IDENTIFICATION_CODE"></script>
 *
 * Bundled and minified by build.ts; a unit test holds it to 1,500 bytes gzipped, so every string and
 * property name here is paid for on every page view of every customer. Local names are free (the
 * minifier shortens them); prefer one helper over two near-identical literals.
 *
 * Wire contract with the backend (see packages/ingest): one POST per identification code to
 * {base}/api/v1/{hit,event,session}, JSON sent as text/plain so the browser needs no CORS preflight.
 */
import type {
  AnchorLike,
  ClickLike,
  DocumentLike,
  ElementLike,
  EventOptions,
  HistoryLike,
  LocationLike,
  NavigatorLike,
  WindowLike,
} from './browser.types.ts';

declare const window: WindowLike;
declare const document: DocumentLike;
declare const location: LocationLike;
declare const addEventListener: WindowLike['addEventListener'];
declare const history: HistoryLike;
declare const navigator: NavigatorLike;
declare const screen: { width: number; height: number };
declare const localStorage: { getItem(key: string): string | null };

// A tag manager may inject the script so that currentScript is gone by the time we run.
const script = document.currentScript || document.querySelector('script[data-code]')!;
const attr = (name: string) => script.getAttribute('data-' + name);
const has = (name: string) => attr(name) != null;
const list = (name: string, separator: RegExp | string = ',') =>
  (attr(name) || '')
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);
const regexes = (name: string) => list(name).map((pattern) => new RegExp(pattern));

/** `data-<prefix><key>="value"` attributes of an element as `{ key: value }`. */
const prefixed = (element: ElementLike, prefix: string) => {
  const found: Record<string, string> = {};
  for (const { name, value } of Array.from(element.attributes)) {
    if (name.indexOf(prefix) == 0) found[name.slice(prefix.length)] = value;
  }
  return found;
};

const base = (attr('endpoint') || new URL(script.src).origin).replace(/\/$/, '');
const codes = list('code', /[\s,]+/);
const hashRouting = has('hash');
const noQuery = has('disable-query');
const include = regexes('include');
const exclude = regexes('exclude');
const downloadExtensions = has('download-extensions')
  ? list('download-extensions')
  : 'pdf,csv,txt,doc,docx,xls,xlsx,ppt,pptx,epub,zip,rar,7z,gz,dmg,exe,msi,pkg,deb,apk,iso,mp3,mp4,wav,mov,avi'.split(
      ',',
    );
const tags = prefixed(script, 'data-tag-');
// Developers' own page loads would pollute their statistics; file: pages have an empty hostname.
const devHost = !has('dev') && /^(localhost|127(\.\d+){3}|\[::1\]|)$/.test(location.hostname);

/** Drops the fragment, and the query string when the site asked for that. */
const clean = (url: string) => {
  url = url.split('#')[0]!;
  return noQuery ? url.split('?')[0]! : url;
};
const pageUrl = () => clean(location.href) + (hashRouting ? location.hash : '');

const ignored = () => {
  try {
    if (localStorage.getItem('spur_ignore') == '1') return true;
  } catch {
    // Storage blocked by the browser: the visitor cannot have opted out through it.
  }
  const path = location.pathname + (hashRouting ? location.hash : '');
  return devHost || exclude.some((r) => r.test(path)) || (include.length > 0 && !include.some((r) => r.test(path)));
};

/** Resolves once every request is handed to the browser (beacon) or answered (fetch); never rejects. */
const send = (kind: 'hit' | 'event' | 'session', data: object): Promise<unknown> =>
  Promise.all(
    (ignored() ? [] : codes).map((code) => {
      const url = base + '/api/v1/' + kind;
      const body = JSON.stringify({ identification_code: code, ...data });
      // A beacon survives the page unloading (outbound clicks); it is refused when its queue is full.
      // A string body goes out as text/plain;charset=UTF-8 either way: no CORS preflight.
      return (
        (navigator.sendBeacon && navigator.sendBeacon(url, body)) ||
        fetch(url, { method: 'POST', body, keepalive: true }).catch(() => 0)
      );
    }),
  );

const noResolution = has('disable-resolution');
const pageData = () => ({
  url: pageUrl(),
  title: document.title,
  referrer: has('disable-referrer') ? '' : clean(document.referrer),
  screen_width: noResolution ? 0 : screen.width,
  screen_height: noResolution ? 0 : screen.height,
  ...(Object.keys(tags).length ? { tags } : {}),
});

const spur = (name: string, options: EventOptions = {}) => {
  const meta: Record<string, string> = {};
  for (const key in options.meta) {
    const value = options.meta[key];
    if (value != null) meta[key] = String(value);
  }
  return send('event', {
    ...pageData(),
    event_name: name,
    event_duration: options.duration || 0,
    event_meta: meta,
    non_interactive: !!options.nonInteractive,
  });
};

// SPA routers call replaceState for the current URL (scroll restoration, state updates): one view.
let lastUrl: string | undefined;
const pageView = () => {
  const url = pageUrl();
  if (url != lastUrl) {
    lastUrl = url;
    void send('hit', pageData());
  }
};

const onClick = (event: ClickLike) => {
  // Left and middle clicks open links; the right button only opens a menu.
  if (event.button > 1 || !event.target.closest) return;
  const declared = event.target.closest('[data-spur-event]');
  if (declared) void spur(declared.getAttribute('data-spur-event')!, { meta: prefixed(declared, 'data-spur-meta-') });
  const link = event.target.closest('a[href]') as AnchorLike | null;
  if (!link) return;
  const target = new URL(link.href);
  const extension = /\.(\w+)$/.exec(target.pathname);
  if (!has('disable-downloads') && extension && downloadExtensions.indexOf(extension[1]!.toLowerCase()) >= 0) {
    void spur('File Download', { meta: { file: clean(link.href) } });
  } else if (!has('disable-outbound-links') && /^https?:$/.test(target.protocol) && target.host != location.host) {
    void spur('Outbound Link Click', { meta: { url: clean(link.href) } });
  }
};

window.spur = spur;
window.spur404 = () => spur('404 Page Not Found', { meta: { path: location.pathname } });

for (const method of ['pushState', 'replaceState'] as const) {
  const original = history[method];
  history[method] = function (this: unknown, ...args: unknown[]) {
    original.apply(this, args);
    pageView();
  };
}
addEventListener('popstate', pageView);
if (hashRouting) addEventListener('hashchange', pageView);
document.addEventListener('click', onClick);
document.addEventListener('auxclick', onClick);

if (has('enable-sessions')) {
  // Keeps the visitor's session open while the page is read; a hidden tab is not being read.
  setInterval(
    () => {
      if (document.visibilityState == 'visible') void send('session', { url: pageUrl() });
    },
    (+attr('session-interval')! || 60) * 1000,
  );
}

pageView();
