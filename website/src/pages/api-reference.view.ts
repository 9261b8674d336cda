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
  return html`<div class="table">
    <table>
      <thead>
        <tr>
          <th>field</th>
          <th>type</th>
          <th>required</th>
          <th>description</th>
        </tr>
      </thead>
      <tbody>
        ${fields.map(
          (f) =>
            html`<tr>
              <td><code>${f.name}</code></td>
              <td>${f.type}</td>
              <td>${f.required ? 'yes' : 'no'}</td>
              <td>${inline(f.description)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function bodySection(endpoint: ApiEndpoint, all: readonly ApiEndpoint[]): SafeHtml {
  const body = endpoint.body;
  if (!body) return html``;
  const what = body.kind === 'array' ? 'A JSON array of up to 500 objects' : 'A JSON object';
  const base = body.extends ? all.find((e) => e.path === body.extends) : undefined;
  if (!base?.body)
    return html`<h4>Body</h4>
      <p>${what} with these fields:</p>
      ${fieldTable(body.fields)}`;
  // Repeating the shared hit fields six times would bury the differences; show what is added.
  const inherited = new Set(base.body.fields.map((f) => f.name));
  const added = body.fields.filter((f) => !inherited.has(f.name));
  const dropped = base.body.fields.filter((f) => !body.fields.some((g) => g.name === f.name));
  return html`<h4>Body</h4>
    <p>
      ${what} with the fields of
      <a href="#${endpointId(base)}">${base.method} ${base.path}</a
      >${dropped.length ? html` (without ${dropped.map((f, i) => html`${i ? ', ' : ''}<code>${f.name}</code>`)})` : ''},
      and:
    </p>
    ${fieldTable(added)}`;
}

/** A parameter as the page compares them: the same name, type, requirement and description. */
const signature = (f: ApiField) => `${f.name}\u0000${f.type}\u0000${f.required}\u0000${f.description}`;

/**
 * Parameters that more than half of the endpoints with a query take, word for word (the statistics
 * filter). They get one table of their own: repeated under each of some sixty endpoints they made
 * the page 700 KB, most of it the same forty rows over and over.
 */
function sharedParameters(endpoints: readonly ApiEndpoint[]): ApiField[] {
  const withQuery = endpoints.filter((e) => e.query?.length);
  const counts = new Map<string, { field: ApiField; n: number }>();
  for (const e of withQuery)
    for (const f of e.query!) counts.set(signature(f), { field: f, n: (counts.get(signature(f))?.n ?? 0) + 1 });
  return [...counts.values()].filter((c) => c.n > withQuery.length / 2).map((c) => c.field);
}

function querySection(endpoint: ApiEndpoint, shared: ReadonlySet<string>, sharedCount: number): SafeHtml {
  const query = endpoint.query ?? [];
  if (query.length === 0) return html``;
  const own = query.filter((f) => !shared.has(signature(f)));
  const common = query.filter((f) => shared.has(signature(f)));
  if (common.length === 0)
    return html`<h4>Query parameters</h4>
      ${fieldTable(own)}`;
  const link = html`<a href="#${FILTER_ID}">filter parameters</a>`;
  const which =
    common.length === sharedCount
      ? html`<p>All ${link}${own.length ? ', and these:' : '.'}</p>`
      : html`<p>
          These ${link}:
          ${common.map((f, i) => html`${i ? ', ' : ''}<code>${f.name}</code>`)}${own.length ? '; and these:' : '.'}
        </p>`;
  return html`<h4>Query parameters</h4>
    ${which}${own.length ? fieldTable(own) : ''}`;
}

const FILTER_ID = 'filter-parameters';

function renderEndpoint(
  endpoint: ApiEndpoint,
  all: readonly ApiEndpoint[],
  shared: ReadonlySet<string>,
  sharedCount: number,
): SafeHtml {
  return html`<section class="endpoint">
    <h3 id="${endpointId(endpoint)}"><span class="method">${endpoint.method}</span>${endpoint.path}</h3>
    <p><strong>${inline(endpoint.summary)}.</strong> ${inline(endpoint.description)}</p>
    <p><strong>Authentication:</strong> ${inline(endpoint.auth)}</p>
    ${querySection(endpoint, shared, sharedCount)} ${bodySection(endpoint, all)}
    <h4>Answers</h4>
    <div class="table">
      <table>
        <thead>
          <tr>
            <th>status</th>
            <th>meaning</th>
          </tr>
        </thead>
        <tbody>
          ${endpoint.responses.map(
            (r) =>
              html`<tr>
                <td><code>${r.status}</code></td>
                <td>${inline(r.description)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

/**
 * The /docs/api page body, rendered from data. Groups become h2, endpoints h3 with ids such as
 * `post-api-v1-hit`, so guides can link straight to an endpoint.
 */
export function renderApiReference(
  reference: ApiReference,
  backendUrl: string,
): { html: SafeHtml; headings: Heading[] } {
  const groups = [...new Set(reference.endpoints.map((e) => e.group))];
  const headings: Heading[] = [];
  const common = sharedParameters(reference.endpoints);
  const shared = new Set(common.map(signature));
  const sections = groups.map((group) => {
    const endpoints = reference.endpoints.filter((e) => e.group === group);
    headings.push({ depth: 2, text: group, id: slugify(group) });
    for (const e of endpoints) headings.push({ depth: 3, text: `${e.method} ${e.path}`, id: endpointId(e) });
    return html`<h2 id="${slugify(group)}">${group}</h2>
      ${endpoints.map((e) => renderEndpoint(e, reference.endpoints, shared, common.length))}`;
  });
  if (common.length) headings.push({ depth: 2, text: 'Filter parameters', id: FILTER_ID });
  headings.push({ depth: 2, text: 'Metric definitions', id: 'metric-definitions' });
  const body = html`<p>
      All endpoints live under <code>${backendUrl}/api/v1</code>, take and return JSON, and follow Pirsch's public API
      v1, so the official Pirsch SDKs work with Spur when you set their base URL. Send credentials as
      <code>Authorization: Bearer …</code>; see <a href="/docs/server-side-tracking#credentials">credentials</a> for
      access keys and API clients.
    </p>
    ${sections}
    ${
      common.length
        ? html`<h2 id="${FILTER_ID}">Filter parameters</h2>
            <p>
              The statistics endpoints share these query parameters. Values: <code>v</code> equals, <code>!v</code> is
              not, <code>~v</code> contains, <code>^v</code> does not contain (case-insensitive), <code>null</code> is
              empty and <code>!null</code> is set; for <code>pattern</code> only <code>!</code> is an operator. Repeated
              values of one field are alternatives (<code>path=/a&amp;path=/b</code>), repeated negations must all hold
              (<code>path=!/a&amp;path=!/b</code>), and different fields combine with AND.
            </p>
            ${fieldTable(common)}`
        : ''
    }
    <h2 id="metric-definitions">Metric definitions</h2>
    <p>
      Statistics endpoints return these metrics, computed in the site's time zone unless the request sets
      <code>tz</code>.
    </p>
    <div class="table">
      <table>
        <thead>
          <tr>
            <th>metric</th>
            <th>definition</th>
          </tr>
        </thead>
        <tbody>
          ${reference.metrics.map(
            (m) =>
              html`<tr>
                <td><code>${m.name}</code></td>
                <td>${inline(m.definition)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  return { html: flat(body), headings };
}
