import { loadBlog } from './content/blog.ts';
import { company } from './content/company.ts';
import { readConfigTable } from './content/config-table.ts';
import { loadDocs } from './content/docs.ts';
import { loadLegal } from './content/legal.ts';
import { dashboardPreviewSvg } from './html/dashboard-preview.ts';
import { createLayout } from './html/layout.ts';
import { faviconSvg } from './html/logo.ts';
import { blogIndexPage, blogPostPage, blogTagPage } from './pages/blog.page.ts';
import { docPage, docsIndexPage } from './pages/docs.page.ts';
import { renderFeatures } from './pages/features.page.ts';
import { renderHome } from './pages/home.page.ts';
import { renderLegalIndex, renderLegalPage } from './pages/legal.page.ts';
import { renderNotFound, renderServerError } from './pages/not-found.page.ts';
import type { PageDeps } from './pages/page-deps.ts';
import { parsePricingQuery, renderPricing } from './pages/pricing.page.ts';
import { renderAtom, renderRss } from './seo/feeds.ts';
import { renderRobots, renderSitemap } from './seo/sitemap.ts';
import { normalizeContext, siteLinks, type SiteContext } from './site-context.ts';

export type Route = {
  contentType: string;
  cacheSeconds: number;
  /** Pages listed in sitemap.xml (every HTML page a visitor can reach). */
  sitemap?: { lastmod?: Date | undefined };
  render: (query: URLSearchParams) => string;
  /**
   * The rendered bytes for a request's query. A page is the same for every visitor and depends on
   * nothing but the content read at boot and, for a few pages, the query: it is rendered once per
   * variant and its bytes reused (rendering and encoding each request cost more than sending it).
   */
  bytes: (query: URLSearchParams) => Buffer;
};

export type Site = {
  ctx: SiteContext;
  /** Exact path → route. Pages render per request; feeds, sitemap and images are built once. */
  routes: Map<string, Route>;
  /** Short paths that people type or old links use. */
  redirects: Map<string, { to: string; status: 301 | 302 }>;
  notFound: (path: string) => string;
  serverError: () => string;
};

const HTML = 'text/html; charset=utf-8';

/**
 * Bytes rendered once per variant. `variant` names what of the query the page reads (a bounded set:
 * pricing has 2 × 8 choices and maps anything else to its defaults); pages that read none have one.
 * Every page is pure ASCII by construction (see html/escape.ts), so Latin-1 bytes are its UTF-8 bytes.
 */
function renderedOnce(render: Route['render'], variant?: (query: URLSearchParams) => string): Route['bytes'] {
  const rendered = new Map<string, Buffer>();
  return (query) => {
    const key = variant ? variant(query) : '';
    let bytes = rendered.get(key);
    if (!bytes) rendered.set(key, (bytes = Buffer.from(render(query), 'latin1')));
    return bytes;
  };
}

const page = (render: Route['render'], lastmod?: Date, variant?: (query: URLSearchParams) => string): Route => ({
  contentType: HTML,
  cacheSeconds: 300,
  sitemap: { lastmod },
  render,
  bytes: renderedOnce(render, variant),
});
const fixed = (contentType: string, body: string, cacheSeconds = 3600): Route => {
  const bytes = Buffer.from(body, 'utf8');
  return { contentType, cacheSeconds, render: () => body, bytes: () => bytes };
};

/**
 * Reads and renders all content once (Markdown, front matter, README table) and returns the route
 * table. A content error throws here, at boot, naming the file, never on a visitor's request.
 */
export function buildSite(input: SiteContext): Site {
  const ctx = normalizeContext(input);
  const links = siteLinks(ctx);
  const deps: PageDeps = { ctx, links, layout: createLayout(ctx) };
  const values = {
    websiteUrl: ctx.websiteUrl,
    dashboardUrl: ctx.dashboardUrl,
    backendUrl: ctx.backendUrl,
    configTable: readConfigTable(),
    ...company,
  };
  const docs = loadDocs(values);
  const blog = loadBlog(values);
  const legal = loadLegal(values);

  const routes = new Map<string, Route>();
  routes.set(
    '/',
    page(() => renderHome(deps)),
  );
  routes.set(
    '/features',
    page(() => renderFeatures(deps)),
  );
  routes.set(
    '/pricing',
    page(
      (query) => renderPricing(deps, query),
      undefined,
      (query) => {
        const q = parsePricingQuery(query);
        return `${q.billing} ${q.views}`;
      },
    ),
  );
  routes.set('/docs', page(docsIndexPage(deps, docs)));
  for (const doc of docs) routes.set(`/docs/${doc.slug}`, page(docPage(deps, docs, doc)));
  routes.set('/blog', page(blogIndexPage(deps, blog), blog.posts[0]?.date));
  for (const post of blog.posts) routes.set(`/blog/${post.slug}`, page(blogPostPage(deps, post, blog), post.date));
  for (const [tag, posts] of blog.tags)
    routes.set(`/blog/tags/${tag}`, page(blogTagPage(deps, tag, posts), posts[0]?.date));
  routes.set(
    '/legal',
    page(() => renderLegalIndex(deps, legal)),
  );
  for (const doc of legal)
    routes.set(
      `/legal/${doc.slug}`,
      page(() => renderLegalPage(deps, doc), doc.updated),
    );

  const pagePaths = [...routes.keys()];
  const sitemap = renderSitemap(
    pagePaths.map((path) => ({ path, lastmod: routes.get(path)!.sitemap?.lastmod })),
    ctx.websiteUrl,
  );
  routes.set('/blog/rss.xml', fixed('application/rss+xml; charset=utf-8', renderRss(blog.posts, ctx.websiteUrl)));
  routes.set('/blog/atom.xml', fixed('application/atom+xml; charset=utf-8', renderAtom(blog.posts, ctx.websiteUrl)));
  routes.set('/sitemap.xml', fixed('application/xml; charset=utf-8', sitemap));
  routes.set('/robots.txt', fixed('text/plain; charset=utf-8', renderRobots(ctx.websiteUrl)));
  routes.set('/favicon.svg', fixed('image/svg+xml', faviconSvg, 86_400));
  routes.set('/images/dashboard.svg', fixed('image/svg+xml', dashboardPreviewSvg, 86_400));

  const redirects = new Map<string, { to: string; status: 301 | 302 }>([
    ['/signup', { to: links.signup, status: 302 }],
    ['/login', { to: links.login, status: 302 }],
    ['/demo', { to: links.demo, status: 302 }],
    ['/privacy', { to: '/legal/privacy', status: 301 }],
    ['/terms', { to: '/legal/terms', status: 301 }],
    ['/imprint', { to: '/legal/imprint', status: 301 }],
    ['/dpa', { to: '/legal/dpa', status: 301 }],
    ['/feed.xml', { to: '/blog/rss.xml', status: 301 }],
  ]);

  return {
    ctx,
    routes,
    redirects,
    notFound: (path) => renderNotFound(deps, path, pagePaths),
    serverError: () => renderServerError(deps),
  };
}
