import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import type { z } from 'zod';
import { renderMarkdown, type Heading } from '../markdown/markdown.ts';
import { compactText, type SafeHtml } from '../html/escape.ts';

export type MarkdownFile<T> = { slug: string; data: T; html: SafeHtml; headings: Heading[] };

/** Front matter values with their strings in compact storage (see compactText); dates and numbers as they are. */
function compactStrings<T>(value: T): T {
  if (typeof value === 'string') return compactText(value) as T;
  if (Array.isArray(value)) return value.map(compactStrings) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compactStrings(v)])) as T;
  }
  return value;
}

/** Where the Markdown content lives: `website/content/{docs,blog,legal}`. */
export const contentDir = path.resolve(import.meta.dirname, '../../content');

/**
 * `{{name}}` in content is replaced with a configured value (URLs, company details) before
 * rendering. An unknown name stops the boot: a typo must not ship as literal braces.
 */
export function fillPlaceholders(source: string, values: Readonly<Record<string, string>>, file: string): string {
  return source.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${file}: unknown placeholder {{${name}}}`);
    return value;
  });
}

/**
 * Reads every `*.md` of a folder once, validates its front matter with `schema` (a bad file fails
 * the boot, naming the file) and renders it. The slug is the file name.
 */
export function loadMarkdownFiles<S extends z.ZodType>(
  folder: string,
  schema: S,
  values: Readonly<Record<string, string>>,
): MarkdownFile<z.infer<S>>[] {
  const dir = path.join(contentDir, folder);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => {
      const file = path.join(folder, name);
      // gray-matter caches parses by source string; passing an options object turns that off.
      let parsed: matter.GrayMatterFile<string>;
      try {
        parsed = matter(fs.readFileSync(path.join(dir, name), 'utf8'), {});
      } catch (error) {
        throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      const data = schema.safeParse(parsed.data);
      if (!data.success)
        throw new Error(
          `${file}: bad front matter: ${data.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      const { html, headings } = renderMarkdown(fillPlaceholders(parsed.content, values, file));
      return {
        slug: compactText(name.slice(0, -3)),
        data: compactStrings(data.data),
        html,
        headings: headings.map((h) => ({ ...h, text: compactText(h.text), id: compactText(h.id) })),
      };
    });
}
