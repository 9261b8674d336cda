import type { ApiEndpoint, ApiField, ApiReference } from '../content/api-reference.ts';
import { escapeHtml, flat, html, raw, type SafeHtml } from '../html/escape.ts';
import { slugify, type Heading } from '../markdown/markdown.ts';

/** `code` spans in descriptions, everything else escaped. */
function inline(text: string): SafeHtml {
  return raw(escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>'));
}

export function endpointId(endpoint: Pick<ApiEndpoint, 'method' | 'path'>): string {
  return slugify(`${endpoint.method} ${endpoint.path}`);
}

function fieldTable(fields: readonly ApiField[]): SafeHtml {
  return html`<div class="table"><table><thead><tr><th>field</th><th>type</th><th>required</th><th>description</th></tr></thead><tbody>
${fields.map((f) => html`<tr><td><code>${f.name}</code></td><td>${f.type}</td><td>${f.required ? 'yes' : 'no'}</td><td>${inline(f.description)}</td></tr>`)}
</tbody></table></div>`;
}

function bodySection(endpoint: ApiEndpoint, all: readonly ApiEndpoint[]): SafeHtml {
  const body = endpoint.body;
  if (!body) return html``;
  const what = body.kind === 'array' ? 'A JSON array of up to 500 objects' : 'A JSON object';
  const base = body.extends ? all.find((e) => e.path === body.extends) : undefined;
  if (!base?.body) return html`<h4>Body</h4><p>${what} with these fields:</p>${fieldTable(body.fields)}`;
  // Repeating the shared hit fields six times would bury the differences; show what is added.
  const inherited = new Set(base.body.fields.map((f) => f.name));
  const added = body.fields.filter((f) => !inherited.has(f.name));
  const dropped = base.body.fields.filter((f) => !body.fields.some((g) => g.name === f.name));
  return html`<h4>Body</h4><p>${what} with the fields of <a href="#${endpointId(base)}">${base.method} ${base.path}</a>${dropped.length ? html` (without ${dropped.map((f, i) => html`${i ? ', ' : ''}<code>${f.name}</code>`)})` : ''}, and:</p>${fieldTable(added)}`;
}

function renderEndpoint(endpoint: ApiEndpoint, all: readonly ApiEndpoint[]): SafeHtml {
  return html`<section class="endpoint">
<h3 id="${endpointId(endpoint)}"><span class="method">${endpoint.method}</span>${endpoint.path}</h3>
<p><strong>${inline(endpoint.summary)}.</strong> ${inline(endpoint.description)}</p>
<p><strong>Authentication:</strong> ${inline(endpoint.auth)}</p>
${endpoint.query?.length ? html`<h4>Query parameters</h4>${fieldTable(endpoint.query)}` : ''}
${bodySection(endpoint, all)}
<h4>Answers</h4>
<div class="table"><table><thead><tr><th>status</th><th>meaning</th></tr></thead><tbody>
${endpoint.responses.map((r) => html`<tr><td><code>${r.status}</code></td><td>${inline(r.description)}</td></tr>`)}
</tbody></table></div>
</section>`;
}

/**
 * The /docs/api page body, rendered from data. Groups become h2, endpoints h3 with ids such as
 * `post-api-v1-hit`, so guides can link straight to an endpoint.
 */
export function renderApiReference(reference: ApiReference, backendUrl: string): { html: SafeHtml; headings: Heading[] } {
  const groups = [...new Set(reference.endpoints.map((e) => e.group))];
  const headings: Heading[] = [];
  const sections = groups.map((group) => {
    const endpoints = reference.endpoints.filter((e) => e.group === group);
    headings.push({ depth: 2, text: group, id: slugify(group) });
    for (const e of endpoints) headings.push({ depth: 3, text: `${e.method} ${e.path}`, id: endpointId(e) });
    return html`<h2 id="${slugify(group)}">${group}</h2>${endpoints.map((e) => renderEndpoint(e, reference.endpoints))}`;
  });
  headings.push({ depth: 2, text: 'Metric definitions', id: 'metric-definitions' });
  const body = html`<p>All endpoints live under <code>${backendUrl}/api/v1</code>, take and return JSON, and follow
Pirsch's public API v1, so the official Pirsch SDKs work with Spur when you set their base URL. Send
credentials as <code>Authorization: Bearer …</code>; see <a href="/docs/server-side-tracking#credentials">credentials</a>
for access keys and API clients.</p>
${sections}
<h2 id="metric-definitions">Metric definitions</h2>
<p>Statistics endpoints return these metrics, computed in the site's time zone unless the request sets <code>tz</code>.</p>
<div class="table"><table><thead><tr><th>metric</th><th>definition</th></tr></thead><tbody>
${reference.metrics.map((m) => html`<tr><td><code>${m.name}</code></td><td>${inline(m.definition)}</td></tr>`)}
</tbody></table></div>`;
  return { html: flat(body), headings };
}
