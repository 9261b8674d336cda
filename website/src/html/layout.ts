import { ariaCurrent, escapeHtml, html, oneByte, type SafeHtml } from './escape.ts';
import { logoMark } from './logo.ts';
import { styles } from './styles.ts';
import { siteLinks, type SiteContext } from '../site-context.ts';

export type Section = 'home' | 'features' | 'pricing' | 'docs' | 'blog' | 'legal' | 'none';

export type PageMeta = {
  /** Path of the page's canonical URL, e.g. `/docs/getting-started`. */
  path: string;
  /** Shown as "<title> — Spur"; the home page passes its full title with `fullTitle`. */
  title: string;
  fullTitle?: boolean;
  description: string;
  section: Section;
  type?: 'website' | 'article';
  published?: Date;
  noindex?: boolean;
};

export type Layout = (meta: PageMeta, main: SafeHtml) => string;

const navItems: { section: Section; href: string; label: string }[] = [
  { section: 'features', href: '/features', label: 'Features' },
  { section: 'pricing', href: '/pricing', label: 'Pricing' },
  { section: 'docs', href: '/docs', label: 'Docs' },
  { section: 'blog', href: '/blog', label: 'Blog' },
];

/**
 * The page shell. Everything that does not depend on the page (styles, footer, the script tag,
 * one header per active section) is built once here, so a request only joins a handful of strings.
 */
export function createLayout(ctx: SiteContext): Layout {
  const links = siteLinks(ctx);
  const script = ctx.trackingCode
    ? html`<script defer src="${`${ctx.backendUrl}/spur.js`}" data-code="${ctx.trackingCode}"></script>`.value
    : '';
  const headTail = oneByte(
    '<link rel="icon" href="/favicon.svg" type="image/svg+xml">' +
      '<link rel="alternate" type="application/rss+xml" title="Spur blog (RSS)" href="/blog/rss.xml">' +
      '<link rel="alternate" type="application/atom+xml" title="Spur blog (Atom)" href="/blog/atom.xml">' +
      `<style>${styles}</style>${script}</head><body><a class="skip" href="#main">Skip to content</a>`,
  );

  const headers = new Map<Section, string>();
  for (const section of ['home', 'features', 'pricing', 'docs', 'blog', 'legal', 'none'] as const) {
    headers.set(
      section,
      oneByte(
        html`<header class="site-header">
            <div class="wrap">
              <a class="logo" href="/" aria-label="Spur home">${logoMark(28)}<span>Spur</span></a>
              <nav class="nav" aria-label="Main">
                ${navItems.map((item) => html`<a href="${item.href}" ${item.section === section ? ariaCurrent.page : ariaCurrent.none}>${item.label}</a>`)}
              </nav>
              <div class="account">
                <a href="${links.login}">Log in</a
                ><a class="btn btn-primary" href="${links.signup}">Start free trial</a>
              </div>
            </div>
          </header>
          <main id="main"></main>`.value,
      ),
    );
  }
  const footer = oneByte(renderFooter(links).value);

  return (meta, main) => {
    const canonical = ctx.websiteUrl + meta.path;
    const title = escapeHtml(meta.fullTitle ? meta.title : `${meta.title} — Spur`);
    const description = escapeHtml(meta.description);
    const url = escapeHtml(canonical);
    return (
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
      `<title>${title}</title><meta name="description" content="${description}">` +
      (meta.noindex ? '<meta name="robots" content="noindex">' : `<link rel="canonical" href="${url}">`) +
      `<meta property="og:type" content="${meta.type ?? 'website'}"><meta property="og:site_name" content="Spur">` +
      `<meta property="og:title" content="${escapeHtml(meta.title)}"><meta property="og:description" content="${description}">` +
      `<meta property="og:url" content="${url}"><meta property="og:locale" content="en_US"><meta name="twitter:card" content="summary">` +
      (meta.published ? `<meta property="article:published_time" content="${meta.published.toISOString()}">` : '') +
      headTail +
      headers.get(meta.section)! +
      main.value +
      footer
    );
  };
}

function renderFooter(links: { signup: string; login: string; demo: string }): SafeHtml {
  const column = (heading: string, items: [string, string][]) =>
    html`<div>
      <h2>${heading}</h2>
      <ul>
        ${items.map(([href, label]) => html`<li><a href="${href}">${label}</a></li>`)}
      </ul>
    </div>`;
  return html`</main><footer class="site-footer"><div class="wrap"><div class="grid">
${column('Product', [
  ['/features', 'Features'],
  ['/pricing', 'Pricing'],
  [links.demo, 'Live demo'],
  [links.signup, 'Sign up'],
  [links.login, 'Log in'],
])}
${column('Developers', [
  ['/docs/getting-started', 'Getting started'],
  ['/docs/tracking-script', 'Tracking script'],
  ['/docs/server-side-tracking', 'Server-side tracking'],
  ['/docs/api', 'API reference'],
  ['/docs/self-hosting', 'Self-hosting'],
])}
${column('Company', [
  ['/blog', 'Blog'],
  ['/docs/privacy', 'Privacy and GDPR'],
  ['/legal/imprint', 'Imprint'],
])}
${column('Legal', [
  ['/legal/privacy', 'Privacy policy'],
  ['/legal/terms', 'Terms'],
  ['/legal/dpa', 'DPA'],
  ['/legal/subprocessors', 'Sub-processors'],
  ['/legal/attributions', 'Attributions'],
])}
</div>
<p class="fine">Spur counts visitors without cookies and never stores IP addresses. <a href="https://db-ip.com">IP Geolocation by DB-IP</a>.</p>
</div></footer></body></html>`;
}
