/**
 * CSV export of any statistic (RFC 4180). Nested objects become dotted columns (`stats.visitors`),
 * lists are joined with `|`. Text starting with `=`, `+`, `-`, `@` or a control character gets a
 * leading `'`: paths, titles and referrers come from visitors, and a spreadsheet must not run
 * them as formulas.
 */
export function toCsv(rows: Record<string, unknown>[]): string {
  const flat = rows.map((r) => flatten(r));
  const header: string[] = [];
  const seen = new Set<string>();
  for (const row of flat) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        header.push(key);
      }
    }
  }
  const lines = [header.map(cell), ...flat.map((row) => header.map((key) => cell(row[key])))];
  return lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
}

function flatten(
  value: Record<string, unknown>,
  prefix = '',
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, name, out);
    else out[name] = Array.isArray(v) ? v.map(String).join('|') : v;
  }
  return out;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
