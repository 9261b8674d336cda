import type { Blog, BlogPost } from '../content/blog.ts';
import { flat, html, type SafeHtml } from '../html/escape.ts';
import { formatDate, isoDate, type PageDeps } from './page-deps.ts';

function tagLinks(tags: readonly string[]): SafeHtml {
  return html`<ul class="tags" aria-label="Tags">
    ${tags.map((t) => html`<li><a href="/blog/tags/${t}">${t}</a></li>`)}
  </ul>`;
}

function postList(posts: readonly BlogPost[]): SafeHtml {
  return html`<ul class="post-list">
    ${posts.map(
      (p) =>
        html`<li>
          <p class="meta"><time datetime="${isoDate(p.date)}">${formatDate(p.date)}</time></p>
          <h2><a href="/blog/${p.slug}">${p.title}</a></h2>
          <p class="muted">${p.description}</p>
          ${tagLinks(p.tags)}
        </li>`,
    )}
  </ul>`;
}

const feeds = html`<p class="meta">
  Follow along: <a href="/blog/rss.xml">RSS</a> · <a href="/blog/atom.xml">Atom</a>
</p>`;

export function blogIndexPage({ layout }: PageDeps, blog: Blog): () => string {
  const topics = flat(
    html`<p class="meta">
      Topics: ${[...blog.tags.keys()].map((t, i) => html`${i ? ', ' : ''}<a href="/blog/tags/${t}">${t}</a>`)}
    </p>`,
  );
  const list = flat(postList(blog.posts));
  const meta = {
    path: '/blog',
    title: 'Blog',
    description: 'News from Spur, guides, and notes on building privacy-friendly analytics.',
    section: 'blog',
  } as const;
  return () =>
    layout(
      meta,
      html`<div class="wrap">
        <div class="prose">
          <div class="page-head">
            <h1>Blog</h1>
            <p>News, guides and how Spur works inside.</p>
            ${feeds}${topics}
          </div>
          ${list}
        </div>
      </div>`,
    );
}

export function blogTagPage({ layout }: PageDeps, tag: string, posts: readonly BlogPost[]): () => string {
  const list = flat(postList(posts));
  const meta = {
    path: `/blog/tags/${tag}`,
    title: `Posts tagged “${tag}”`,
    description: `Spur blog posts about ${tag}.`,
    section: 'blog',
  } as const;
  return () =>
    layout(
      meta,
      html`<div class="wrap">
        <div class="prose">
          <div class="page-head">
            <p class="eyebrow"><a href="/blog">Blog</a></p>
            <h1>Posts tagged “${tag}”</h1>
            <p>${posts.length} ${posts.length === 1 ? 'post' : 'posts'}. <a href="/blog">All posts</a></p>
          </div>
          ${list}
        </div>
      </div>`,
    );
}

/** A post; the list of other posts and the byline depend only on content, so they are built once. */
export function blogPostPage({ layout }: PageDeps, post: BlogPost, blog: Blog): () => string {
  const others = blog.posts.filter((p) => p !== post).slice(0, 3);
  const more = flat(
    others.length
      ? html`<section class="section prose">
          <h2>More from the blog</h2>
          ${postList(others)}${feeds}
        </section>`
      : html``,
  );
  const byline = flat(
    html`<p class="meta"><time datetime="${isoDate(post.date)}">${formatDate(post.date)}</time> · ${post.author}</p>
      ${tagLinks(post.tags)}`,
  );
  const meta = {
    path: `/blog/${post.slug}`,
    title: post.title,
    description: post.description,
    section: 'blog',
    type: 'article',
    published: post.date,
  } as const;
  return () =>
    layout(
      meta,
      html`<div class="wrap">
        <article class="prose">
          <div class="page-head">
            <p class="eyebrow"><a href="/blog">Blog</a></p>
            <h1>${post.title}</h1>
            ${byline}
          </div>
          ${post.html}
        </article>
        ${more}
      </div>`,
    );
}
