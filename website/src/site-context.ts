/** What every page needs to know about where things live. Built once from the config at boot. */
export type SiteContext = {
  /** Public base URL of this website, for canonical URLs, feeds and the sitemap. No trailing slash. */
  websiteUrl: string;
  dashboardUrl: string;
  backendUrl: string;
  /** The website's own identification code(s); undefined → no spur.js tag. */
  trackingCode?: string | undefined;
};

export type SiteLinks = { signup: string; login: string; demo: string };

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function normalizeContext(ctx: SiteContext): SiteContext {
  return {
    websiteUrl: trimSlash(ctx.websiteUrl),
    dashboardUrl: trimSlash(ctx.dashboardUrl),
    backendUrl: trimSlash(ctx.backendUrl),
    trackingCode: ctx.trackingCode,
  };
}

export function siteLinks(ctx: SiteContext): SiteLinks {
  return {
    signup: `${ctx.dashboardUrl}/signup`,
    login: `${ctx.dashboardUrl}/login`,
    // The seeded demo site is public at the `demo` subdomain (packages/demo), so its dashboard is /public/demo.
    demo: `${ctx.dashboardUrl}/public/demo`,
  };
}
