import type { SiteDirectory, IngestSite } from '../sites/site-directory.ts';
import type { IngestInput } from './context.ts';

type Resolved = { site: IngestSite; url: URL } | { error: string; field: string };

/**
 * Browsers name their site by identification code. API clients are scoped to one site, or to an
 * organization, in which case the page's hostname picks the site. A site the caller may not write
 * to is "not found", never "forbidden", so codes and ids cannot be probed.
 */
export async function resolveSite(sites: SiteDirectory, input: IngestInput): Promise<Resolved> {
  const payloadUrl = (input.payload as { url?: string }).url;
  const url = payloadUrl ? new URL(payloadUrl) : undefined;
  let site: IngestSite | undefined;
  if (input.auth.type === 'code') {
    site = await sites.byCode(input.auth.code);
    if (!site) return { error: 'no site with this identification code', field: 'identification_code' };
  } else if (input.auth.siteId) {
    site = await sites.byId(input.auth.siteId);
    if (site && site.organizationId !== input.auth.organizationId) site = undefined;
  } else if (url) {
    site = await sites.byHostname(input.auth.organizationId, url.hostname.toLowerCase().replace(/\.$/, ''));
  }
  if (!site) return { error: 'no site for this client and URL', field: 'url' };
  return { site, url: url ?? new URL(`https://${site.hostname}/`) };
}
