import { z } from 'zod';
import type { SafeHtml } from '../html/escape.ts';
import { loadMarkdownFiles } from './markdown-files.ts';

export type BlogPost = {
  slug: string;
  title: string;
  description: string;
  date: Date;
  author: string;
  tags: string[];
  html: SafeHtml;
};

export type Blog = {
  /** Newest first. */
  posts: BlogPost[];
  /** Tag → its posts, newest first; tags sorted by name. */
  tags: Map<string, BlogPost[]>;
};

const frontMatter = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  // YAML turns an unquoted 2026-09-15 into a Date already; a quoted one stays a string.
  date: z.coerce.date(),
  author: z.string().min(1),
  tags: z.array(z.string().regex(/^[a-z0-9-]+$/, 'tags are lowercase words joined by dashes')).min(1),
  draft: z.boolean().default(false),
});

export function loadBlog(values: Readonly<Record<string, string>>): Blog {
  const posts = loadMarkdownFiles('blog', frontMatter, values)
    .filter((file) => !file.data.draft)
    .map(({ slug, data, html }) => ({
      slug,
      title: data.title,
      description: data.description,
      date: data.date,
      author: data.author,
      tags: data.tags,
      html,
    }))
    .sort((a, b) => b.date.getTime() - a.date.getTime() || a.slug.localeCompare(b.slug));
  const tags = new Map<string, BlogPost[]>();
  for (const tag of [...new Set(posts.flatMap((p) => p.tags))].sort()) {
    tags.set(
      tag,
      posts.filter((p) => p.tags.includes(tag)),
    );
  }
  return { posts, tags };
}
