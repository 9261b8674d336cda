/**
 * Templates are plain functions returning strings. Every interpolated value is escaped unless it is
 * SafeHtml, so forgetting to escape is impossible and marking something as trusted is explicit.
 *
 * Output is pure ASCII: characters beyond it become numeric references (`&#8594;`). V8 keeps such
 * strings one byte per character and node writes them to the socket without transcoding; one "→"
 * in a page would make the whole page a two-byte string, and measured here that halved the
 * website's throughput.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

const special = /[&<>"'\u0080-\uffff]/;
const replacements: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const reference = (c: string) => replacements[c] ?? `&#${c.codePointAt(0)};`;

// Text that needs escaping is mostly the same few hundred titles and labels on every request, so
// escaped forms are remembered. Bounded, because a 404 path is visitor input.
const escaped = new Map<string, string>();

export function escapeHtml(text: string): string {
  // Most strings need nothing; skip the regex replace for them (this runs thousands of times a page).
  if (!special.test(text)) return text;
  let result = escaped.get(text);
  if (result === undefined) {
    result = oneByte(text.replace(/[&<>"'\u0080-\u{10ffff}]/gu, reference));
    if (escaped.size >= 5_000) escaped.clear();
    escaped.set(text, result);
  }
  return result;
}

/**
 * The same ASCII text, stored by V8 one byte per character. ASCII alone is not enough: a string
 * sliced or replaced out of a two-byte string (any source file with an "→" in it) stays two-byte,
 * and a page joined from such pieces is flattened into a two-byte string on every request.
 */
export function oneByte(ascii: string): string {
  return Buffer.from(ascii, 'latin1').toString('latin1');
}

/**
 * For text loaded at boot (front matter, headings): ASCII text is copied to one-byte storage, since
 * escapeHtml returns text with nothing to escape as it is; other text is escaped per use anyway.
 */
export function compactText(text: string): string {
  return nonAscii.test(text) ? text : oneByte(text);
}

const nonAscii = /[\u0080-\uffff]/;

/** Already-safe markup made ASCII: only characters beyond ASCII change, into numeric references. */
export function asciiOnly(markup: string): string {
  return nonAscii.test(markup) ? markup.replace(/[\u0080-\u{10ffff}]/gu, (c) => `&#${c.codePointAt(0)};`) : markup;
}

/**
 * For fragments built once at boot: the same markup as one flat string. A fragment joined from
 * many template pieces is a tree of string slices, and every page that embeds it would walk that
 * whole tree again when the page is sent; measured here, that walk cost more than the rendering.
 */
export function flat(fragment: SafeHtml): SafeHtml {
  return new SafeHtml(oneByte(fragment.value));
}

/** ` aria-current="…"` when a link points at the page being shown; built once, used on every render. */
export const ariaCurrent = {
  page: new SafeHtml(' aria-current="page"'),
  true: new SafeHtml(' aria-current="true"'),
  none: new SafeHtml(''),
};

/** Trusted markup: rendered Markdown from our own content files, or output of `html`. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(oneByte(asciiOnly(markup)));
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    let out = '';
    for (const item of value as readonly HtmlValue[]) out += render(item);
    return out;
  }
  // null, undefined and false render nothing, so `cond && html\`...\`` reads naturally.
  return '';
}

// A template literal's strings array is created once per call site, so its ASCII form is too.
const asciiStrings = new WeakMap<TemplateStringsArray, string[]>();

/** Tagged template: `html\`<a href="${url}">${label}</a>\`` escapes url and label. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let parts = asciiStrings.get(strings);
  if (!parts) asciiStrings.set(strings, (parts = strings.map((s) => oneByte(asciiOnly(s)))));
  let out = parts[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + parts[i + 1]!;
  return new SafeHtml(out);
}

/** For XML feeds and sitemaps: the same five entities are all XML needs. */
export const escapeXml = escapeHtml;
