import { Parser } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC, contentFiles, startTestWebsite } from './website-harness.ts';

let site: Awaited<ReturnType<typeof startTestWebsite>>;
beforeAll(async () => {
  site = await startTestWebsite();
});
afterAll(() => site.stop());

type Node = { name: string; attrs: Record<string, string>; text: string; children: Node[] };

/**
 * Parses XML into a tree and fails on what a strict XML parser would reject and htmlparser2 can see:
 * an element closed by someone else's end tag, or left open. (Chromium's XML parser checks
 * the same feeds in the browser tests.)
 */
function parseXml(xml: string): Node {
  const root: Node = { name: '#root', attrs: {}, text: '', children: [] };
  const stack = [root];
  const problems: string[] = [];
  const parser: Parser = new Parser(
    {
      onopentag(name, attrs) {
        const node = { name, attrs, text: '', children: [] };
        stack.at(-1)!.children.push(node);
        stack.push(node);
      },
      ontext(text) {
        stack.at(-1)!.text += text;
      },
      onclosetag(name, isImplied) {
        // `<x/>` also arrives as an implied close; anything else implied means a missing or wrong end tag.
        const source = xml.slice(parser.startIndex, parser.endIndex + 1);
        if (isImplied && !(source.startsWith(`<${name}`) && source.endsWith('/>')))
          problems.push(`<${name}> not closed properly`);
        stack.pop();
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(xml);
  expect(problems).toEqual([]);
  expect(stack).toEqual([root]);
  return root;
}

const child = (node: Node, name: string) => node.children.find((c) => c.name === name);
const all = (node: Node, name: string) => node.children.filter((c) => c.name === name);

const posts = () =>
  contentFiles('blog')
    .filter((p) => !p.data.draft)
    .map((p) => ({ slug: p.slug, title: String(p.data.title), date: new Date(p.data.date as string) }))
    .sort((a, b) => b.date.getTime() - a.date.getTime());

describe('blog feeds', () => {
  it('when the RSS feed is parsed, then it lists every post newest first with absolute links and full content', async () => {
    const response = await fetch(`${site.url}/blog/rss.xml`);
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const rss = parseXml(await response.text());
    const channel = child(child(rss, 'rss')!, 'channel')!;
    expect(child(channel, 'title')!.text).toBe('Spur blog');
    expect(child(channel, 'link')!.text).toBe(`${PUBLIC.website}/blog`);
    const items = all(channel, 'item');
    expect(items.map((i) => child(i, 'title')!.text)).toEqual(posts().map((p) => p.title));
    expect(items.map((i) => child(i, 'link')!.text)).toEqual(posts().map((p) => `${PUBLIC.website}/blog/${p.slug}`));
    expect(items.map((i) => new Date(child(i, 'pubDate')!.text).toISOString())).toEqual(
      posts().map((p) => p.date.toISOString()),
    );
    const first = child(
      items.find((i) => child(i, 'link')!.text.endsWith('/introducing-spur'))!,
      'description',
    )!.text;
    expect(first).toContain('<h2 id="why-another-analytics-tool">Why another analytics tool?</h2>');
    // Relative links inside posts must work from a feed reader.
    expect(first).toContain(`href="${PUBLIC.website}/blog/counting-visitors-without-cookies"`);
    expect(first).toContain(`href="${PUBLIC.dashboard}/public/demo"`);
  });

  it('when the Atom feed is parsed, then entries carry ids, dates, authors and categories', async () => {
    const response = await fetch(`${site.url}/blog/atom.xml`);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = child(parseXml(await response.text()), 'feed')!;
    expect(feed.attrs.xmlns).toBe('http://www.w3.org/2005/Atom');
    expect(child(feed, 'id')!.text).toBe(`${PUBLIC.website}/blog`);
    expect(child(feed, 'updated')!.text).toBe(posts()[0]!.date.toISOString());
    const entries = all(feed, 'entry');
    expect(entries.map((e) => child(e, 'id')!.text)).toEqual(posts().map((p) => `${PUBLIC.website}/blog/${p.slug}`));
    const launch = entries.find((e) => child(e, 'id')!.text.endsWith('/introducing-spur'))!;
    expect(child(launch, 'published')!.text).toBe('2026-09-15T00:00:00.000Z');
    expect(child(child(launch, 'author')!, 'name')!.text).toBe('The Spur team');
    expect(all(launch, 'category').map((c) => c.attrs.term)).toEqual(['announcements', 'privacy']);
    expect(child(launch, 'content')!.attrs.type).toBe('html');
  });

  it('announces both feeds in every page head', async () => {
    const html = await (await fetch(`${site.url}/docs`)).text();
    expect(html).toContain(
      '<link rel="alternate" type="application/rss+xml" title="Spur blog (RSS)" href="/blog/rss.xml">',
    );
    expect(html).toContain(
      '<link rel="alternate" type="application/atom+xml" title="Spur blog (Atom)" href="/blog/atom.xml">',
    );
  });
});
