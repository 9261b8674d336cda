import type { Layout } from '../html/layout.ts';
import type { SiteContext, SiteLinks } from '../site-context.ts';

/** What every page renderer receives: where things live and the page shell. */
export type PageDeps = { ctx: SiteContext; links: SiteLinks; layout: Layout };

// toLocaleDateString builds a new Intl formatter on every call (tens of µs); one shared instance
// keeps a blog page's render in single-digit microseconds.
const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "23 November 2026", the way dates read on the site (UTC: posts carry dates, not times). */
export function formatDate(date: Date): string {
  return dateFormat.format(date);
}

/** `2026-11-23`, for <time datetime>. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
