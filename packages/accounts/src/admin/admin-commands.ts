import { z } from 'zod';
import type { AccountsContext } from '../context.ts';
import { createApiClient, listApiClients, revokeApiClient } from '../api-clients/api-client.service.ts';
import { createSite } from '../sites/site.service.ts';
import {
  adminCreateOrganization,
  adminCreateUser,
  adminDeleteOrganization,
  adminDeleteSite,
  adminDeleteUser,
  adminListOrganizations,
  adminListSites,
  adminListUsers,
  adminResetPassword,
} from './admin.service.ts';

/**
 * The admin CLI's commands: `--flag value` options validated by zod, each printing JSON. Kept
 * apart from the entry script so tests can run them in-process as well as through `npm run cli`.
 */
const id = z.string().regex(/^\d{1,19}$/, 'must be a numeric id');

type Command = {
  summary: string;
  options: z.ZodObject;
  run: (ctx: AccountsContext, options: never) => Promise<unknown>;
};

const command = <S extends z.ZodObject>(
  summary: string,
  options: S,
  run: (ctx: AccountsContext, o: z.infer<S>) => Promise<unknown>,
): Command => ({
  summary,
  options,
  run: run as Command['run'],
});

export const ADMIN_COMMANDS: Record<string, Command> = {
  'user:create': command(
    'create a verified user with a personal organization (--email, [--password], [--unverified]); prints the generated password if none was given',
    z.object({ email: z.string(), password: z.string().optional(), unverified: z.boolean().default(false) }),
    (ctx, o) => adminCreateUser(ctx, { email: o.email, password: o.password, verified: !o.unverified }),
  ),
  'user:list': command('list users with their organizations and roles', z.object({}), (ctx) => adminListUsers(ctx)),
  'user:reset-password': command(
    'set a new password (--email, [--password]) and end all sessions; prints the generated password if none was given',
    z.object({ email: z.string(), password: z.string().optional() }),
    (ctx, o) => adminResetPassword(ctx, o),
  ),
  'user:delete': command(
    'delete a user (--email) and the organizations only they own, with their sites and statistics',
    z.object({ email: z.string() }),
    (ctx, o) => adminDeleteUser(ctx, o),
  ),
  'org:create': command(
    'create an organization (--name, [--owner EMAIL])',
    z.object({ name: z.string().trim().min(1).max(100), owner: z.string().optional() }),
    (ctx, o) => adminCreateOrganization(ctx, o),
  ),
  'org:list': command('list organizations with member and site counts', z.object({}), (ctx) =>
    adminListOrganizations(ctx),
  ),
  'org:delete': command('delete an organization (--id) with its sites and statistics', z.object({ id }), (ctx, o) =>
    adminDeleteOrganization(ctx, o),
  ),
  'site:create': command(
    'create a site (--org, --hostname, [--name], [--timezone]); prints its identification code',
    z.object({ org: id, hostname: z.string(), name: z.string().optional(), timezone: z.string().optional() }),
    (ctx, o) => createSite(ctx, null, o.org, { hostname: o.hostname, name: o.name, timezone: o.timezone }),
  ),
  'site:list': command('list sites ([--org])', z.object({ org: id.optional() }), (ctx, o) =>
    adminListSites(ctx, { organizationId: o.org }),
  ),
  'site:delete': command('delete a site (--id) and its statistics', z.object({ id }), (ctx, o) =>
    adminDeleteSite(ctx, o),
  ),
  'client:create': command(
    'create an API client or access key (--org, [--site], [--name], [--type client|access_key]); prints the secret once',
    z.object({
      org: id,
      site: id.optional(),
      name: z.string().default('CLI'),
      type: z.enum(['client', 'access_key']).default('client'),
    }),
    (ctx, o) => createApiClient(ctx, null, o.org, { name: o.name, type: o.type, site_id: o.site }),
  ),
  'client:list': command(
    'list API clients of an organization (--org); secrets are never shown again',
    z.object({ org: id }),
    (ctx, o) => listApiClients(ctx, null, o.org),
  ),
  'client:delete': command('revoke an API client (--org, --id)', z.object({ org: id, id }), async (ctx, o) => {
    await revokeApiClient(ctx, null, o.org, o.id);
    return { id: o.id, revoked: true };
  }),
};

/** `["--email", "a@b.c", "--unverified"]` → `{ email: "a@b.c", unverified: true }`. */
export function parseOptions(args: string[]): Record<string, string | boolean> {
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--'))
      throw new Error(`unexpected argument ${JSON.stringify(arg)}; options look like --name value`);
    const [key, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const next = args[i + 1];
    if (inline !== undefined) options[key] = inline;
    else if (next !== undefined && !next.startsWith('--')) options[key] = args[++i]!;
    else options[key] = true;
  }
  return options;
}

export async function runAdminCommand(ctx: AccountsContext, name: string, args: string[]): Promise<unknown> {
  const found = ADMIN_COMMANDS[name];
  if (!found) throw new Error(`unknown command ${JSON.stringify(name)}; run with "help" to list commands`);
  const options = found.options.strict().parse(parseOptions(args));
  return found.run(ctx, options as never);
}

export function adminHelp(): { usage: string; commands: Record<string, string> } {
  return {
    usage: 'npm run cli -- <command> [--option value ...]',
    commands: Object.fromEntries(Object.entries(ADMIN_COMMANDS).map(([name, c]) => [name, c.summary])),
  };
}
