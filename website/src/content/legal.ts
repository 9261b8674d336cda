import { z } from 'zod';
import type { SafeHtml } from '../html/escape.ts';
import { loadMarkdownFiles } from './markdown-files.ts';

export type LegalPage = { slug: string; title: string; description: string; updated: Date; html: SafeHtml };

const frontMatter = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  updated: z.coerce.date(),
});

/** Menu order of the legal pages; a file missing from this list (or a listed one missing) fails the boot. */
const order = ['privacy', 'terms', 'imprint', 'dpa', 'subprocessors', 'attributions'];

export function loadLegal(values: Readonly<Record<string, string>>): LegalPage[] {
  const files = loadMarkdownFiles('legal', frontMatter, values);
  const names = files.map((f) => f.slug).sort();
  if (names.join() !== [...order].sort().join())
    throw new Error(`content/legal holds ${names.join(', ')}; expected ${order.join(', ')}`);
  return order.map((slug) => {
    const { data, html } = files.find((f) => f.slug === slug)!;
    return { slug, ...data, html };
  });
}
