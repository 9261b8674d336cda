import type { Layout } from '../html/layout.ts';
import type { SiteContext, SiteLinks } from '../site-context.ts';

/** What every page renderer receives: where things live and the page shell. */
export type PageDeps = { ctx: SiteContext; links: SiteLinks; layout: Layout };

/** "23 November 2026", the way dates read on the site (UTC: posts carry dates, not times). */
export function formatDate(date: Date): string {
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** `2026-11-23`, for <time datetime>. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
