/**
 * Templates are plain functions returning strings. Every interpolated value is escaped unless it is
 * SafeHtml, so forgetting to escape is impossible and marking something as trusted is explicit.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

const special = /[&<>"']/;
const replacements: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  // Most strings need nothing; skip the regex replace for them (this runs thousands of times a page).
  return special.test(text) ? text.replace(/[&<>"']/g, (c) => replacements[c]!) : text;
}

/** Trusted markup: rendered Markdown from our own content files, or output of `html`. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
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

/** Tagged template: `html\`<a href="${url}">${label}</a>\`` escapes url and label. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** For XML feeds and sitemaps: the same five entities are all XML needs. */
export const escapeXml = escapeHtml;
