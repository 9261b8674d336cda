import { Marked } from 'marked';
import { raw, type SafeHtml } from '../html/escape.ts';

export type Heading = { depth: number; text: string; id: string };
export type RenderedMarkdown = { html: SafeHtml; headings: Heading[] };

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Visible text of rendered inline HTML, for heading ids and the table of contents. */
export function textOf(inlineHtml: string): string {
  return inlineHtml.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e]!);
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Markdown → HTML with stable heading ids (docs link to `#data-hash`), a list of headings for the
 * page's table of contents, and tables wrapped so wide ones scroll instead of breaking the layout on
 * phones. Runs once per file at boot; requests never parse Markdown.
 */
export function renderMarkdown(source: string): RenderedMarkdown {
  const headings: Heading[] = [];
  const seen = new Map<string, number>();
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth }) {
        const inner = this.parser.parseInline(tokens);
        const text = textOf(inner);
        const base = slugify(text) || 'section';
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        const id = count === 0 ? base : `${base}-${count}`;
        headings.push({ depth, text, id });
        return `<h${depth} id="${id}">${inner}</h${depth}>\n`;
      },
    },
  });
  const rendered = marked
    .parse(source, { async: false })
    .replace(/<table>/g, '<div class="table"><table>')
    .replace(/<\/table>/g, '</table></div>');
  return { html: raw(rendered), headings };
}
