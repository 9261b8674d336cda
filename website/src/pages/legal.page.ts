import type { LegalPage } from '../content/legal.ts';
import { html } from '../html/escape.ts';
import { formatDate, isoDate, type PageDeps } from './page-deps.ts';

export function renderLegalIndex({ layout }: PageDeps, pages: readonly LegalPage[]): string {
  return layout(
    {
      path: '/legal',
      title: 'Legal',
      description: 'Privacy policy, terms, imprint, data processing agreement, sub-processors and attributions.',
      section: 'legal',
    },
    html`<div class="wrap">
      <div class="prose">
        <div class="page-head">
          <h1>Legal</h1>
          <p>The documents that govern Spur, in plain language where the law allows.</p>
        </div>
        <ul class="post-list">
          ${pages.map(
            (p) =>
              html`<li>
                <h2><a href="/legal/${p.slug}">${p.title}</a></h2>
                <p class="muted">${p.description}</p>
              </li>`,
          )}
        </ul>
      </div>
    </div>`,
  );
}

export function renderLegalPage({ layout }: PageDeps, page: LegalPage): string {
  return layout(
    { path: `/legal/${page.slug}`, title: page.title, description: page.description, section: 'legal' },
    html`<div class="wrap">
      <article class="prose">
        <div class="page-head">
          <p class="eyebrow"><a href="/legal">Legal</a></p>
          <h1>${page.title}</h1>
          <p class="meta">Last updated <time datetime="${isoDate(page.updated)}">${formatDate(page.updated)}</time></p>
        </div>
        ${page.html}
      </article>
    </div>`,
  );
}
