import { Router } from 'express';
import type { z } from 'zod';
import {
  getMemberRole,
  getReadableSite,
  listReadableSites,
  type AccountsContext,
  type Caller,
  type SiteView,
} from '@spur/accounts';
import { domainQuery, type domainSchema } from '@spur/api-spec';
import { StatsError } from '@spur/stats';
import { HttpError } from '../http/errors.ts';

/**
 * `GET /api/v1/domain`: the sites the caller may read, in Pirsch's "domain" shape (pirsch-sdk's
 * `domain()` takes the first). With `?id=` the one site as an object. Shared-link and public
 * readers never see the identification code.
 */

const ROLE_NAMES: Record<string, string> = { owner: 'Owner', admin: 'Admin', viewer: 'Viewer' };

async function toDomain(
  accounts: AccountsContext,
  caller: Caller,
  site: SiteView,
): Promise<z.infer<typeof domainSchema>> {
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

export function domainRouter(accounts: AccountsContext) {
  const router = Router();
  router.get('/api/v1/domain', async (req, res) => {
    const parsed = domainQuery.safeParse(req.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const param = issue.code === 'unrecognized_keys' ? issue.keys[0]! : String(issue.path[0]);
      throw new StatsError(
        400,
        `${param}: ${issue.code === 'unrecognized_keys' ? 'is not a known parameter' : issue.message}`,
        param,
      );
    }
    const { id, search } = parsed.data;
    if (id) {
      const site = await getReadableSite(accounts.db, req.caller, id);
      if (!site) throw new StatsError(404, 'site not found');
      res.json(await toDomain(accounts, req.caller, site));
      return;
    }
    if (req.caller.kind === 'anonymous') throw new HttpError(401, 'send an access token or sign in');
    const sites = (await listReadableSites(accounts.db, req.caller)).filter(
      (s) => !search || s.hostname.includes(search.toLowerCase()),
    );
    res.json(await Promise.all(sites.map((s) => toDomain(accounts, req.caller, s))));
  });
  return router;
}
