import { hostnameAllowed } from '@spur/accounts';
import type { IngestContext, StepResult } from '../context.ts';

/**
 * The hostname shield: a page on a hostname the site does not allow (a copy of the site on another
 * domain, with the snippet in it) is not counted. Default: the site's hostnames and their
 * subdomains; owners may set their own list (accounts' hostname-shield.ts).
 */
export const hostnameStep = {
  name: 'hostname',
  run(ctx: IngestContext): StepResult {
    const rules = { siteHostnames: ctx.site.hostnames, allowed: ctx.site.allowedHostnames ?? [] };
    if (!hostnameAllowed(rules, ctx.dims.hostname)) return { drop: 'hostname_not_allowed' };
  },
};
