import type { BlogPost } from '../content/blog.ts';
import { escapeXml } from '../html/escape.ts';

const title = 'Spur blog';
const subtitle = 'News, guides and how Spur works inside.';

/** Feed readers show content out of context: make the site's root-relative links absolute. */
function absolute(markup: string, websiteUrl: string): string {
  return markup.replace(/(href|src)="\//g, `$1="${websiteUrl}/`);
}

export function renderRss(posts: readonly BlogPost[], websiteUrl: string): string {
  const items = posts.map((p) => {
    const link = `${websiteUrl}/blog/${p.slug}`;
    return (
      `<item><title>${escapeXml(p.title)}</title><link>${escapeXml(link)}</link><guid isPermaLink="true">${escapeXml(link)}</guid>` +
      `<pubDate>${p.date.toUTCString()}</pubDate>` +
      p.tags.map((t) => `<category>${escapeXml(t)}</category>`).join('') +
      `<description>${escapeXml(absolute(p.html.value, websiteUrl))}</description></item>`
    );
  });
  const updated = posts[0]?.date ?? new Date(0);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>' +
    `<title>${title}</title><link>${escapeXml(websiteUrl)}/blog</link><description>${subtitle}</description><language>en</language>` +
    `<lastBuildDate>${updated.toUTCString()}</lastBuildDate>` +
    `<atom:link href="${escapeXml(websiteUrl)}/blog/rss.xml" rel="self" type="application/rss+xml"/>` +
    items.join('') +
    '</channel></rss>\n'
  );
}

export function renderAtom(posts: readonly BlogPost[], websiteUrl: string): string {
  const site = escapeXml(websiteUrl);
  const entries = posts.map((p) => {
    const link = `${site}/blog/${escapeXml(p.slug)}`;
    return (
      `<entry><title>${escapeXml(p.title)}</title><link href="${link}"/><id>${link}</id>` +
      `<published>${p.date.toISOString()}</published><updated>${p.date.toISOString()}</updated>` +
      `<author><name>${escapeXml(p.author)}</name></author>` +
      p.tags.map((t) => `<category term="${escapeXml(t)}"/>`).join('') +
      `<summary>${escapeXml(p.description)}</summary><content type="html">${escapeXml(absolute(p.html.value, websiteUrl))}</content></entry>`
    );
  });
  const updated = posts[0]?.date ?? new Date(0);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">' +
    `<title>${title}</title><subtitle>${subtitle}</subtitle>` +
    `<link href="${site}/blog/atom.xml" rel="self" type="application/atom+xml"/><link href="${site}/blog" rel="alternate" type="text/html"/>` +
    `<id>${site}/blog</id><updated>${updated.toISOString()}</updated>` +
    entries.join('') +
    '</feed>\n'
  );
}
