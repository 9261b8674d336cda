import type { z } from 'zod';
import { getMemberRole, listReadableSites, type AccountsContext, type Caller, type SiteView } from '@spur/accounts';
import type { domainSchema } from './domain.schema.ts';

export type Domain = z.infer<typeof domainSchema>;

const ROLE_NAMES: Record<string, string> = { owner: 'Owner', admin: 'Admin', viewer: 'Viewer' };

/**
 * A site in Pirsch's "domain" shape (pirsch-sdk's `domain()` takes the first). Shared-link and
 * public readers never see the identification code; members and API tokens do.
 */
export async function toDomain(accounts: AccountsContext, caller: Caller, site: SiteView): Promise<Domain> {
  const role =
    caller.kind === 'user' ? await getMemberRole(accounts.db, caller.userId, site.organization_id) : undefined;
  const trusted =
    caller.kind === 'user' ? role !== undefined : caller.kind === 'access_token' || caller.kind === 'access_key';
  return {
    id: site.id,
    def_time: site.created_at,
    mod_time: site.updated_at,
    user_id: caller.kind === 'user' ? caller.userId : '',
    organization_id: site.organization_id,
    hostname: site.hostname,
    hostnames: site.hostnames,
    subdomain: site.subdomain ?? '',
    identification_code: trusted ? site.identification_code : '',
    public: site.public,
    google_user_id: null,
    google_user_email: null,
    gsc_domain: null,
    new_owner: null,
    timezone: site.timezone,
    group_by_title: false,
    active_visitors_seconds: 600,
    disable_scripts: false,
    statistics_start: null,
    imported_statistics: false,
    metadata: {},
    theme_id: '',
    theme: {},
    custom_domain: null,
    display_name: site.name,
    user_role: role ? ROLE_NAMES[role]! : '',
    settings: {},
    theme_settings: {},
    pinned: false,
    subscription_active: true,
  };
}

/** The sites the caller may read, as domains; `search` keeps those whose hostname contains it. */
export async function listDomains(accounts: AccountsContext, caller: Caller, search?: string): Promise<Domain[]> {
  const sites = (await listReadableSites(accounts.db, caller)).filter(
    (s) => !search || s.hostname.includes(search.toLowerCase()),
  );
  return Promise.all(sites.map((s) => toDomain(accounts, caller, s)));
}
