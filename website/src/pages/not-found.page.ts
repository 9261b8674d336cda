import { html } from '../html/escape.ts';
import type { PageDeps } from './page-deps.ts';

/** Edit distance, for "did you mean": typos in shared links are the usual way people land on a 404. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** Up to three known paths close to the requested one, closest first. */
export function suggestPaths(requested: string, known: readonly string[]): string[] {
  // Edit distance is quadratic; a crafted 8 KB path must not cost real CPU.
  if (requested.length > 120) return [];
  const wanted = requested.toLowerCase().replace(/\/+$/, '') || '/';
  return known
    .map((path) => ({ path, d: distance(wanted, path) }))
    .filter(({ path, d }) => d <= Math.max(2, Math.floor(path.length / 3)))
    .sort((a, b) => a.d - b.d || a.path.localeCompare(b.path))
    .slice(0, 3)
    .map(({ path }) => path);
}

export function renderNotFound({ layout }: PageDeps, requested: string, known: readonly string[]): string {
  const suggestions = suggestPaths(requested, known);
  return layout(
    {
      path: requested,
      title: 'Page not found',
      description: 'This page does not exist.',
      section: 'none',
      noindex: true,
    },
    html`<div class="wrap">
      <div class="prose">
        <div class="page-head">
          <p class="eyebrow">Error 404</p>
          <h1>Page not found</h1>
          <p>There is no page at <code>${requested}</code>. It may have moved, or the link has a typo.</p>
        </div>
        ${
          suggestions.length
            ? html`<h2>Did you mean</h2>
                <ul>
                  ${suggestions.map((p) => html`<li><a href="${p}">${p}</a></li>`)}
                </ul>`
            : ''
        }
        <h2>Try one of these</h2>
        <ul>
          <li><a href="/">Home</a>: what Spur is</li>
          <li><a href="/docs">Documentation</a>: setup, tracking script, API</li>
          <li><a href="/pricing">Pricing</a></li>
          <li><a href="/blog">Blog</a></li>
        </ul>
        <p>Followed a broken link on this site? Tell us at the address in the <a href="/legal/imprint">imprint</a>.</p>
      </div>
    </div>`,
  );
}

export function renderServerError({ layout }: PageDeps): string {
  return layout(
    { path: '/', title: 'Something went wrong', description: 'An error occurred.', section: 'none', noindex: true },
    html`<div class="wrap">
      <div class="prose">
        <div class="page-head">
          <p class="eyebrow">Error 500</p>
          <h1>Something went wrong</h1>
          <p>We could not show this page. Please try again in a moment, or go back to the <a href="/">home page</a>.</p>
        </div>
      </div>
    </div>`,
  );
}
