/** Numbers the way the dashboard shows them: compact counts, percentages, durations. */
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string =>
  Math.abs(n) < 10_000 ? whole.format(Math.round(n)) : compact.format(n);

/** 0.4567 → "45.7%"; rates arrive as fractions from the API. */
export const formatPercent = (fraction: number, digits = 1): string =>
  `${(fraction * 100).toFixed(digits).replace(/\.0+$/, '')}%`;

/** A custom metric's value: money in its currency ("€1,234.50"), other numbers compact like counts. */
export function formatMetric(value: number, currency?: string): string {
  if (currency) {
    try {
      return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 2 }).format(value);
    } catch {
      // An unknown code: the number with the code after it rather than nothing.
      return `${value.toFixed(2)} ${currency}`;
    }
  }
  return Math.abs(value) < 10_000 && !Number.isInteger(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: 2 })
    : formatCount(value);
}

/** A difference of two rates (fractions) in percentage points: 0.021 → "2.1 pp". */
export const formatPoints = (fraction: number): string => `${(fraction * 100).toFixed(1).replace(/\.0$/, '')} pp`;

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Relative change from `previous` to `current` as a fraction; undefined when there is nothing to
 * compare with (previous 0 and current 0 is "no change", previous 0 and current > 0 is undefined).
 */
export function change(current: number, previous: number | undefined): number | undefined {
  if (previous === undefined) return undefined;
  if (previous === 0) return current === 0 ? 0 : undefined;
  return (current - previous) / previous;
}

const regionNames =
  typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : undefined;
const languageNames =
  typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'language' }) : undefined;

export function countryName(code: string): string {
  if (!code) return 'Unknown';
  try {
    return regionNames?.of(code.toUpperCase()) ?? code.toUpperCase();
  } catch {
    return code.toUpperCase();
  }
}

export function languageName(code: string): string {
  if (!code) return 'Unknown';
  try {
    return languageNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** A flag from a two-letter country code (regional indicator symbols). */
export function flag(code: string): string {
  if (!/^[a-z]{2}$/i.test(code)) return '';
  return String.fromCodePoint(...[...code.toUpperCase()].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}
