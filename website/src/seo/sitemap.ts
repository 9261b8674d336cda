import { escapeXml } from '../html/escape.ts';

export type SitemapEntry = { path: string; lastmod?: Date | undefined };

export function renderSitemap(entries: readonly SitemapEntry[], websiteUrl: string): string {
  const urls = entries.map(
    (e) =>
      `<url><loc>${escapeXml(websiteUrl + e.path)}</loc>${e.lastmod ? `<lastmod>${e.lastmod.toISOString().slice(0, 10)}</lastmod>` : ''}</url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join('')}</urlset>\n`;
}

export function renderRobots(websiteUrl: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${websiteUrl}/sitemap.xml\n`;
}
