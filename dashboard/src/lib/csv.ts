/** What a panel exports: a header row and the rows under it. */
export type CsvTable = { header: string[]; rows: (string | number)[][] };

/**
 * `<host>-<what>-<from>-<to>.csv`. `what` may carry user-chosen names (a funnel, an event), so
 * anything a file system or a download prompt could trip on becomes `-`.
 */
export function csvFilename(hostname: string, what: string, range: { from: string; to: string }): string {
  const slug = what.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'export';
  return `${hostname}-${slug}-${range.from}-${range.to}.csv`;
}

/** RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, quotes doubled. */
export function toCsv(header: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => {
    const s = String(v);
    // A leading =, +, - or @ would run as a formula in spreadsheet apps.
    const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function downloadCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
