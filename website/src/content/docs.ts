import { z } from 'zod';
import type { SafeHtml } from '../html/escape.ts';
import type { Heading } from '../markdown/markdown.ts';
import { renderApiReference } from '../pages/api-reference.view.ts';
import { withOpenApiEndpoints } from './api-from-openapi.ts';
import { apiReference, type ApiReference } from './api-reference.ts';
import { loadMarkdownFiles } from './markdown-files.ts';

export type DocPage = {
  slug: string;
  title: string;
  description: string;
  order: number;
  html: SafeHtml;
  headings: Heading[];
};

const frontMatter = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  order: z.number().int(),
});

/**
 * Every docs page, in menu order: the Markdown guides in `content/docs/` plus the API reference,
 * which is one more entry rendered from data (see content/api-reference.ts).
 */
export function loadDocs(
  values: Readonly<Record<string, string>>,
  reference: ApiReference = withOpenApiEndpoints(apiReference),
): DocPage[] {
  const backendUrl = values.backendUrl;
  if (!backendUrl) throw new Error('docs need the backendUrl placeholder value');
  const guides: DocPage[] = loadMarkdownFiles('docs', frontMatter, values).map((file) => ({
    slug: file.slug,
    ...file.data,
    html: file.html,
    headings: file.headings,
  }));
  const api: DocPage = {
    slug: 'api',
    title: 'REST API reference',
    description: 'Every endpoint with its parameters and answers, and how each metric is defined.',
    order: 5,
    ...renderApiReference(reference, backendUrl),
  };
  const pages = [...guides, api].sort((a, b) => a.order - b.order);
  const slugs = new Set(pages.map((p) => p.slug));
  if (slugs.size !== pages.length) throw new Error('two docs pages share a slug');
  return pages;
}
