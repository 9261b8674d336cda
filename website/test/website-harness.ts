import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { Parser } from 'htmlparser2';
import { loadConfig, type Config } from '@spur/config';
import { createLogger, Lifecycle } from '@spur/runtime';
import { startWebsite } from '@spur/website';

export const PUBLIC = {
  website: 'https://spur.example',
  dashboard: 'https://app.spur.example',
  backend: 'https://api.spur.example',
  trackingCode: 'website-code',
};

/** The website on a free loopback port, with public URLs that differ from it (as in production). */
export async function startTestWebsite(overrides: Record<string, string> = {}) {
  const config: Config = loadConfig(
    {
      HOST: '127.0.0.1',
      WEBSITE_PORT: '0',
      LOG_LEVEL: 'silent',
      WEBSITE_PUBLIC_URL: PUBLIC.website,
      DASHBOARD_PUBLIC_URL: PUBLIC.dashboard,
      BACKEND_PUBLIC_URL: PUBLIC.backend,
      WEBSITE_TRACKING_CODE: PUBLIC.trackingCode,
      ...overrides,
    },
    {},
  );
  const log = createLogger(config, 'website-test');
  const lifecycle = new Lifecycle(log, 5_000);
  const server = await startWebsite({ config, log, lifecycle });
  return { url: server.url, stop: () => lifecycle.stop('test end') };
}

export type ParsedPage = {
  title: string;
  h1: string[];
  /** Every href/src of a, link, img and script, as written. */
  links: string[];
  ids: Set<string>;
  meta: Map<string, string>;
  canonical: string | undefined;
  scripts: Record<string, string>[];
  images: Record<string, string>[];
  current: { href: string; text: string }[];
  /** Elements closed by someone else's end tag or never closed: the template has a mismatch. */
  unbalanced: string[];
};

const voidElements = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
  'path',
  'rect',
  'circle',
]);

/** A real HTML parser, not regexes: the crawler and the heading checks rely on what a browser sees. */
export function parsePage(html: string): ParsedPage {
  const page: ParsedPage = {
    title: '',
    h1: [],
    links: [],
    ids: new Set(),
    meta: new Map(),
    canonical: undefined,
    scripts: [],
    images: [],
    current: [],
    unbalanced: [],
  };
  const open: { name: string; text: string; attrs: Record<string, string> }[] = [];
  const parser: Parser = new Parser(
    {
      onopentag(name, attrs) {
        if (attrs.id) page.ids.add(attrs.id);
        if ((name === 'a' || name === 'link') && attrs.href) page.links.push(attrs.href);
        if ((name === 'img' || name === 'script') && attrs.src) page.links.push(attrs.src);
        if (name === 'img') page.images.push(attrs);
        if (name === 'script') page.scripts.push(attrs);
        if (name === 'meta') page.meta.set(attrs.property ?? attrs.name ?? '', attrs.content ?? '');
        if (name === 'link' && attrs.rel === 'canonical') page.canonical = attrs.href;
        if (name === 'br') for (const o of open) o.text += ' ';
        open.push({ name, text: '', attrs });
      },
      ontext(text) {
        for (const o of open) o.text += text;
      },
      onclosetag(name, isImplied) {
        if (isImplied && !voidElements.has(name)) page.unbalanced.push(name);
        const index = open.map((o) => o.name).lastIndexOf(name);
        if (index < 0) return;
        const [closed] = open.splice(index);
        const text = closed!.text.replace(/\s+/g, ' ').trim();
        if (name === 'title') page.title = text;
        if (name === 'h1') page.h1.push(text);
        if (name === 'a' && closed!.attrs['aria-current']) page.current.push({ href: closed!.attrs.href ?? '', text });
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return page;
}

const contentDir = path.resolve(import.meta.dirname, '../content');

/** Front matter straight from the files, independent of the site's own loader. */
export function contentFiles(folder: 'docs' | 'blog' | 'legal'): { slug: string; data: Record<string, unknown> }[] {
  return fs
    .readdirSync(path.join(contentDir, folder))
    .filter((f) => f.endsWith('.md'))
    .map((f) => ({
      slug: f.slice(0, -3),
      data: matter(fs.readFileSync(path.join(contentDir, folder, f), 'utf8'), {}).data,
    }));
}

/** Every page the site should have: the heading a reader sees first and the document title. */
export function expectedPages(): Map<string, { h1: string; title: string }> {
  const same = (h1: string) => ({ h1, title: `${h1} — Spur` });
  const pages = new Map<string, { h1: string; title: string }>([
    [
      '/',
      {
        h1: 'Know how your website is doing, not who your visitors are',
        title: 'Spur — privacy-friendly web analytics without cookies',
      },
    ],
    ['/features', { h1: 'Everything you need to understand your traffic', title: 'Features — Spur' }],
    ['/pricing', { h1: 'Pay for the traffic you have', title: 'Pricing — Spur' }],
    ['/docs', same('Documentation')],
    ['/docs/api', same('REST API reference')],
    ['/blog', same('Blog')],
    ['/legal', same('Legal')],
  ]);
  for (const { slug, data } of contentFiles('docs')) pages.set(`/docs/${slug}`, same(String(data.title)));
  const posts = contentFiles('blog').filter((p) => !p.data.draft);
  for (const { slug, data } of posts) pages.set(`/blog/${slug}`, same(String(data.title)));
  for (const tag of new Set(posts.flatMap((p) => p.data.tags as string[])))
    pages.set(`/blog/tags/${tag}`, same(`Posts tagged “${tag}”`));
  for (const { slug, data } of contentFiles('legal')) pages.set(`/legal/${slug}`, same(String(data.title)));
  return pages;
}
