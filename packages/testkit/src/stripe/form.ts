/**
 * Stripe's wire format: `application/x-www-form-urlencoded` with bracketed keys
 * (`items[0][price]=…`, `metadata[organization_id]=…`, `expand[0]=…`), both in bodies and in query
 * strings. Parsed into plain nested objects; numeric keys become arrays. Values stay strings, as on
 * the wire: handlers convert what they read.
 */
export type FormValue = string | FormObject | FormValue[];
export type FormObject = { [key: string]: FormValue };

export function parseForm(text: string): FormObject {
  const root: FormObject = {};
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    const path = rawKey.split(/[[\]]+/).filter((part, i) => part !== '' || i === 0);
    let node: FormObject = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      const next = node[key];
      if (typeof next === 'object' && next !== null) node = next as FormObject;
      else node = (node[key] = {}) as FormObject;
    }
    node[path.at(-1)!] = value;
  }
  return arraysFromIndexes(root) as FormObject;
}

/** `{ '0': a, '1': b }` → `[a, b]`, recursively. */
function arraysFromIndexes(value: FormValue): FormValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(arraysFromIndexes);
  const keys = Object.keys(value);
  const converted = Object.fromEntries(keys.map((k) => [k, arraysFromIndexes(value[k]!)]));
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => converted[String(k)]!);
  }
  return converted;
}

export const str = (value: FormValue | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;
export const obj = (value: FormValue | undefined): FormObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
export const list = (value: FormValue | undefined): FormValue[] => (Array.isArray(value) ? value : []);
export const bool = (value: FormValue | undefined): boolean | undefined =>
  value === 'true' ? true : value === 'false' ? false : undefined;
export const int = (value: FormValue | undefined): number | undefined =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : undefined;
export const metadataOf = (value: FormValue | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(value)).filter((e): e is [string, string] => typeof e[1] === 'string'));
