import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC, expectedPages, parsePage, startTestWebsite } from './website-harness.ts';

let site: Awaited<ReturnType<typeof startTestWebsite>>;
beforeAll(async () => {
  site = await startTestWebsite();
});
afterAll(() => site.stop());

type Crawl = {
  pages: Map<string, { status: number; type: string; ids: Set<string> }>;
  fragments: { from: string; to: string; id: string }[];
};

/**
 * Follows every internal link from the home page, breadth first: root-relative links and absolute
 * links to the public website URL. Links into the dashboard and API, and other sites, are outside.
 */
async function crawl(): Promise<Crawl> {
  const pages: Crawl['pages'] = new Map();
  const fragments: Crawl['fragments'] = [];
  const queue = ['/'];
  while (queue.length) {
    const path = queue.shift()!;
    if (pages.has(path)) continue;
    const response = await fetch(site.url + path, { redirect: 'manual' });
    const type = response.headers.get('content-type') ?? '';
    const body = await response.text();
    const page = type.startsWith('text/html') ? parsePage(body) : undefined;
    pages.set(path, { status: response.status, type, ids: page?.ids ?? new Set() });
    for (const href of page?.links ?? []) {
      const target = new URL(href, PUBLIC.website + path);
      if (target.origin !== PUBLIC.website) continue;
      const next = target.pathname + target.search;
      if (target.hash) fragments.push({ from: path, to: next, id: decodeURIComponent(target.hash.slice(1)) });
      if (!pages.has(next) && !queue.includes(next)) queue.push(next);
    }
    expect(pages.size, 'the crawl should end').toBeLessThan(500);
  }
  return { pages, fragments };
}

let result: Crawl;

describe('crawling the website from its home page', () => {
  it('when every internal link is followed, then none is broken and every page is reached', async () => {
    result = await crawl();
    const broken = [...result.pages].filter(([, p]) => p.status !== 200).map(([path, p]) => `${path} → ${p.status}`);
    expect(broken).toEqual([]);
    const reached = new Set([...result.pages.keys()].map((p) => p.split('?')[0]));
    for (const path of expectedPages().keys()) expect(reached, path).toContain(path);
    for (const asset of ['/favicon.svg', '/images/dashboard.svg', '/blog/rss.xml', '/blog/atom.xml'])
      expect(reached, asset).toContain(asset);
  });

  it('when a link points at a #fragment, then the target page has an element with that id', () => {
    expect(result.fragments.length).toBeGreaterThan(10);
    const missing = result.fragments
      .filter((f) => !result.pages.get(f.to)?.ids.has(f.id))
      .map((f) => `${f.from} → ${f.to}#${f.id}`);
    expect(missing).toEqual([]);
  });

  it('lists in sitemap.xml exactly the HTML pages the crawler found, as absolute public URLs', async () => {
    const response = await fetch(`${site.url}/sitemap.xml`);
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const xml = await response.text();
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      ),
    ).toBe(true);
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
    expect(locs.every((l) => l.startsWith(`${PUBLIC.website}/`))).toBe(true);
    const listed = locs.map((l) => new URL(l).pathname).sort();
    const crawledPages = [...result.pages]
      .filter(([path, p]) => p.type.startsWith('text/html') && !path.includes('?'))
      .map(([path]) => path)
      .sort();
    expect(listed).toEqual(crawledPages);
    expect(listed).toEqual([...expectedPages().keys()].sort());
    expect(xml).toMatch(
      /<url><loc>https:\/\/spur\.example\/blog\/introducing-spur<\/loc><lastmod>2026-09-15<\/lastmod><\/url>/,
    );
  });

  it('points robots.txt at the sitemap', async () => {
    expect(await (await fetch(`${site.url}/robots.txt`)).text()).toBe(
      `User-agent: *\nAllow: /\n\nSitemap: ${PUBLIC.website}/sitemap.xml\n`,
    );
  });
});
