import type { DocPage } from '../content/docs.ts';
import { ariaCurrent, flat, html, type SafeHtml } from '../html/escape.ts';
import type { Heading } from '../markdown/markdown.ts';
import type { PageDeps } from './page-deps.ts';

function sidebar(docs: readonly DocPage[], active: string | undefined): SafeHtml {
  return html`<nav aria-label="Documentation">
    <ul>
      <li><a href="/docs" ${active === undefined ? ariaCurrent.page : ariaCurrent.none}>Overview</a></li>
      ${docs.map((d) => html`<li><a href="/docs/${d.slug}" ${d.slug === active ? ariaCurrent.page : ariaCurrent.none}>${d.title}</a></li>`)}
    </ul>
  </nav>`;
}

/** h2 entries with their h3 children nested; deeper levels would make the list longer than the page. */
function tableOfContents(headings: readonly Heading[]): SafeHtml {
  const top = headings.filter((h) => h.depth === 2);
  if (top.length < 2) return html``;
  const children = (index: number) => {
    const start = headings.indexOf(top[index]!);
    const end = index + 1 < top.length ? headings.indexOf(top[index + 1]!) : headings.length;
    return headings.slice(start + 1, end).filter((h) => h.depth === 3);
  };
  return html`<nav class="toc" aria-label="On this page">
    <strong>On this page</strong>
    <ul>
      ${top.map((h, i) => {
        const sub = children(i);
        return html`<li>
          <a href="#${h.id}">${h.text}</a>${
            sub.length
              ? html`<ul>
                  ${sub.map((s) => html`<li><a href="#${s.id}">${s.text}</a></li>`)}
                </ul>`
              : ''
          }
        </li>`;
      })}
    </ul>
  </nav>`;
}

export function docsIndexPage({ layout }: PageDeps, docs: readonly DocPage[]): () => string {
  const main = flat(
    html`<div class="wrap docs">
      ${sidebar(docs, undefined)}
      <article>
        <h1>Documentation</h1>
        <p class="muted">
          Everything about setting up and using Spur. New here? Start with
          <a href="/docs/getting-started">getting started</a>.
        </p>
        <div class="grid">
          ${docs.map(
            (d) =>
              html`<a class="card link-card" href="/docs/${d.slug}"
                ><h2>${d.title}</h2>
                <p class="muted">${d.description}</p></a
              >`,
          )}
        </div>
      </article>
    </div>`,
  );
  const meta = {
    path: '/docs',
    title: 'Documentation',
    description:
      'Set up Spur, track events and goals, send data from your server, use the REST API and run Spur yourself.',
    section: 'docs',
  } as const;
  return () => layout(meta, main);
}

/**
 * A docs page. Navigation, table of contents and body depend only on the content, so they are
 * built once here; each request assembles them into the layout.
 */
export function docPage({ layout }: PageDeps, docs: readonly DocPage[], doc: DocPage): () => string {
  const index = docs.indexOf(doc);
  const previous = docs[index - 1];
  const next = docs[index + 1];
  const nav = flat(sidebar(docs, doc.slug));
  const toc = flat(tableOfContents(doc.headings));
  const pager = flat(
    html`<p class="meta">
      ${previous ? html`<a href="/docs/${previous.slug}">← ${previous.title}</a>` : ''}${previous && next ? ' · ' : ''}${next ? html`<a href="/docs/${next.slug}">${next.title} →</a>` : ''}
    </p>`,
  );
  const meta = { path: `/docs/${doc.slug}`, title: doc.title, description: doc.description, section: 'docs' } as const;
  return () =>
    layout(
      meta,
      html`<div class="wrap docs">
        ${nav}
        <article class="prose">
          <h1>${doc.title}</h1>
          <p class="muted">${doc.description}</p>
          ${toc} ${doc.html} ${pager}
        </article>
      </div>`,
    );
}
