import type { IngestSite, SiteDirectory, SiteLookup } from '../sites/site-directory.ts';
import type { IngestInput } from './context.ts';

type Resolved = { site: IngestSite; url: URL } | { error: string; field: string };

/**
 * Browsers name their site by identification code. API clients are scoped to one site, or to an
 * organization, in which case the page's hostname picks the site. A site the caller may not write
 * to is "not found", never "forbidden", so codes and ids cannot be probed.
 */
export function resolveSite(sites: SiteDirectory, input: IngestInput): Resolved | Promise<Resolved> {
  const payloadUrl = (input.payload as { url?: string }).url;
  const url = payloadUrl ? new URL(payloadUrl) : undefined;
  let site: SiteLookup;
  if (input.auth.type === 'code') site = sites.byCode(input.auth.code);
  else if (input.auth.siteId) {
    const { organizationId } = input.auth;
    const scoped = sites.byId(input.auth.siteId);
    site =
      scoped instanceof Promise
        ? scoped.then((found) => (found?.organizationId === organizationId ? found : undefined))
        : scoped?.organizationId === organizationId
          ? scoped
          : undefined;
  } else if (url) site = sites.byHostname(input.auth.organizationId, url.hostname.toLowerCase().replace(/\.$/, ''));
  // A cached site answers without a promise: most hits resolve their site synchronously.
  return site instanceof Promise ? site.then((found) => resolved(input, found, url)) : resolved(input, site, url);
}

function resolved(input: IngestInput, site: IngestSite | undefined, url: URL | undefined): Resolved {
  if (!site) {
    return input.auth.type === 'code'
      ? { error: 'no site with this identification code', field: 'identification_code' }
      : { error: 'no site for this client and URL', field: 'url' };
  }
  return { site, url: url ?? new URL(`https://${site.hostname}/`) };
}
