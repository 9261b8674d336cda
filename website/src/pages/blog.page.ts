import type { Blog, BlogPost } from '../content/blog.ts';
import { html, type SafeHtml } from '../html/escape.ts';
import { formatDate, isoDate, type PageDeps } from './page-deps.ts';

function tagLinks(tags: readonly string[]): SafeHtml {
  return html`<ul class="tags" aria-label="Tags">${tags.map((t) => html`<li><a href="/blog/tags/${t}">${t}</a></li>`)}</ul>`;
}

function postList(posts: readonly BlogPost[]): SafeHtml {
  return html`<ul class="post-list">${posts.map(
    (p) => html`<li><p class="meta"><time datetime="${isoDate(p.date)}">${formatDate(p.date)}</time></p>
<h2><a href="/blog/${p.slug}">${p.title}</a></h2><p class="muted">${p.description}</p>${tagLinks(p.tags)}</li>`,
  )}</ul>`;
}

const feeds = html`<p class="meta">Follow along: <a href="/blog/rss.xml">RSS</a> · <a href="/blog/atom.xml">Atom</a></p>`;

export function renderBlogIndex({ layout }: PageDeps, blog: Blog): string {
  return layout(
    { path: '/blog', title: 'Blog', description: 'News from Spur, guides, and notes on building privacy-friendly analytics.', section: 'blog' },
    html`<div class="wrap"><div class="prose"><div class="page-head"><h1>Blog</h1><p>News, guides and how Spur works inside.</p>${feeds}
<p class="meta">Topics: ${[...blog.tags.keys()].map((t, i) => html`${i ? ', ' : ''}<a href="/blog/tags/${t}">${t}</a>`)}</p></div>
${postList(blog.posts)}</div></div>`,
  );
}

export function renderBlogTag({ layout }: PageDeps, tag: string, posts: readonly BlogPost[]): string {
  return layout(
    { path: `/blog/tags/${tag}`, title: `Posts tagged “${tag}”`, description: `Spur blog posts about ${tag}.`, section: 'blog' },
    html`<div class="wrap"><div class="prose"><div class="page-head"><p class="eyebrow"><a href="/blog">Blog</a></p><h1>Posts tagged “${tag}”</h1>
<p>${posts.length} ${posts.length === 1 ? 'post' : 'posts'}. <a href="/blog">All posts</a></p></div>${postList(posts)}</div></div>`,
  );
}

export function renderBlogPost({ layout }: PageDeps, post: BlogPost, blog: Blog): string {
  const others = blog.posts.filter((p) => p !== post).slice(0, 3);
  return layout(
    { path: `/blog/${post.slug}`, title: post.title, description: post.description, section: 'blog', type: 'article', published: post.date },
    html`<div class="wrap"><article class="prose"><div class="page-head"><p class="eyebrow"><a href="/blog">Blog</a></p>
<h1>${post.title}</h1><p class="meta"><time datetime="${isoDate(post.date)}">${formatDate(post.date)}</time> · ${post.author}</p>${tagLinks(post.tags)}</div>
${post.html}
</article>
${others.length ? html`<section class="section prose"><h2>More from the blog</h2>${postList(others)}${feeds}</section>` : ''}
</div>`,
  );
}
