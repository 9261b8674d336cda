import { z } from 'zod';
import type { AccountsContext } from '../context.ts';
import { withTransaction, type Db } from '../db.ts';
import { requireSiteRole } from '../access/roles.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { normalizeHostname } from './hostname.ts';
import { announceSiteSettingsChanged, findSite, refuseRollup } from './site.repository.ts';

/**
 * The hostname shield (issue 13): a hit whose page hostname has nothing to do with the site (a
 * copy of the page on another domain, snippet included) is dropped, not counted. By default the
 * site's hostname, its alternative hostnames and their subdomains are allowed; an owner may replace
 * that with an own list (narrower or wider) of `example.com` (exactly), `*.example.com` (its
 * subdomains) and `*` (anything: the shield off). An empty list means the default again.
 */
export type HostnameRules = {
  /** The site's hostname and its alternative ones. */
  siteHostnames: string[];
  /** The owner's list; empty: the default rule. */
  allowed: string[];
};

export function hostnameAllowed(rules: HostnameRules, rawHostname: string): boolean {
  const hostname = rawHostname.toLowerCase().replace(/\.$/, '');
  if (rules.allowed.length === 0) return rules.siteHostnames.some((h) => hostname === h || hostname.endsWith(`.${h}`));
  return rules.allowed.some((pattern) =>
    pattern === '*' ? true : pattern.startsWith('*.') ? hostname.endsWith(pattern.slice(1)) : hostname === pattern,
  );
}

const pattern = z
  .string()
  .max(260)
  .transform((value, c) => {
    const raw = value.trim().toLowerCase();
    if (raw === '*') return raw;
    const wildcard = raw.startsWith('*.');
    const hostname = normalizeHostname(wildcard ? raw.slice(2) : raw);
    if (!hostname) {
      c.addIssue({ code: 'custom', message: 'must be a hostname, *.hostname or *' });
      return z.NEVER;
    }
    return wildcard ? `*.${hostname}` : hostname;
  });

export const allowedHostnamesSchema = z.object({ hostnames: z.array(pattern).max(50) });

export type AllowedHostnamesView = {
  /** The owner's list; empty when the default rule applies. */
  hostnames: string[];
  /** What is allowed right now, in the list's notation. */
  effective: string[];
  default: boolean;
};

export async function readAllowedHostnames(db: Db, siteId: string): Promise<string[]> {
  const { rows } = await db.query<{ pattern: string }>(
    'SELECT pattern FROM site_allowed_hostname WHERE site_id = $1 ORDER BY pattern',
    [siteId],
  );
  return rows.map((r) => r.pattern);
}

async function view(db: Db, siteId: string): Promise<AllowedHostnamesView> {
  const site = (await findSite(db, siteId))!;
  const hostnames = await readAllowedHostnames(db, siteId);
  const own = [site.hostname, ...site.hostnames];
  return {
    hostnames,
    effective: hostnames.length ? hostnames : own.flatMap((h) => [h, `*.${h}`]),
    default: hostnames.length === 0,
  };
}

export async function getAllowedHostnames(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
): Promise<AllowedHostnamesView> {
  await requireSiteRole(ctx.db, userId, siteId, 'viewer');
  return view(ctx.db, siteId);
}

/** Replaces the list (PUT semantics); `[]` returns to the default rule. Applies on every node within seconds. */
export async function setAllowedHostnames(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  input: unknown,
): Promise<AllowedHostnamesView> {
  const { organizationId } = await requireSiteRole(ctx.db, userId, siteId, 'admin');
  refuseRollup(await findSite(ctx.db, siteId), 'traffic to allow');
  const hostnames = [...new Set(allowedHostnamesSchema.parse(input).hostnames)].sort();
  await withTransaction(ctx.db, async (tx) => {
    await tx.query('DELETE FROM site_allowed_hostname WHERE site_id = $1', [siteId]);
    if (hostnames.length)
      await tx.query('INSERT INTO site_allowed_hostname (site_id, pattern) SELECT $1, unnest($2::text[])', [
        siteId,
        hostnames,
      ]);
    await recordAudit(tx, {
      organizationId,
      userId,
      action: 'site.allowed_hostnames_changed',
      details: { site_id: siteId, hostnames },
    });
  });
  await announceSiteSettingsChanged(ctx.redis, siteId);
  return view(ctx.db, siteId);
}
