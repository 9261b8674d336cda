import type { Db } from '../db.ts';
import { isId } from '../db.ts';
import type { ApiPrincipal } from '../api-clients/bearer.ts';
import { findSite, findSitesByOrganization, findSitesForUser, type SiteView } from '../sites/site.repository.ts';

/**
 * Everyone who can call the API, however they proved it. The statistics endpoints take one of
 * these from the backend's auth middleware and ask the functions below; nothing else decides who
 * may read a site.
 */
export type UserPrincipal = { kind: 'user'; userId: string; sessionId?: string };
export type AccessLinkPrincipal = { kind: 'access_link'; siteId: string; accessLinkId: string };
export type AnonymousPrincipal = { kind: 'anonymous' };
export type Caller = UserPrincipal | ApiPrincipal | AccessLinkPrincipal | AnonymousPrincipal;

/**
 * The site if `caller` may read its statistics, else undefined (callers answer 404 either way):
 * members of its organization; API tokens of that organization (and of that site, when scoped),
 * but never write-only access keys; an access link for exactly this site; anyone for a public site.
 */
export async function getReadableSite(db: Db, caller: Caller, siteId: string): Promise<SiteView | undefined> {
  if (!isId(siteId)) return undefined;
  const site = await findSite(db, siteId);
  if (!site) return undefined;
  if (site.public) return site;
  switch (caller.kind) {
    case 'user': {
      const { rowCount } = await db.query(
        'SELECT 1 FROM organization_member WHERE organization_id = $1 AND user_id = $2',
        [site.organization_id, caller.userId],
      );
      return rowCount ? site : undefined;
    }
    case 'access_token':
    case 'access_key':
      return !caller.writeOnly &&
        caller.organizationId === site.organization_id &&
        (!caller.siteId || caller.siteId === site.id)
        ? site
        : undefined;
    case 'access_link':
      return caller.siteId === site.id ? site : undefined;
    case 'anonymous':
      return undefined;
  }
}

export async function canReadSite(db: Db, caller: Caller, siteId: string): Promise<boolean> {
  return (await getReadableSite(db, caller, siteId)) !== undefined;
}

/** Sites listed for the caller (GET /api/v1/domain); public sites of others are not listed. */
export async function listReadableSites(db: Db, caller: Caller): Promise<SiteView[]> {
  switch (caller.kind) {
    case 'user':
      return findSitesForUser(db, caller.userId);
    case 'access_token':
    case 'access_key': {
      if (caller.writeOnly) return [];
      const sites = await findSitesByOrganization(db, caller.organizationId);
      return caller.siteId ? sites.filter((s) => s.id === caller.siteId) : sites;
    }
    case 'access_link': {
      const site = await findSite(db, caller.siteId);
      return site ? [site] : [];
    }
    case 'anonymous':
      return [];
  }
}

/**
 * Whether an API principal may send hits/events/sessions for a site: its organization's sites,
 * or only its own site when scoped. Read-only callers (users, links) never ingest through this.
 */
export function canIngestSite(principal: ApiPrincipal, site: { id: string; organizationId: string }): boolean {
  return principal.organizationId === site.organizationId && (!principal.siteId || principal.siteId === site.id);
}
