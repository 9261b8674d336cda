import { compilePathPattern } from '@spur/accounts';
import { ipInCidrs } from '../../enrich/index.ts';
import type { IngestContext, StepResult } from '../context.ts';

/**
 * The site owner's traffic filters (settings → traffic filters): their own IPs, internal paths.
 * Countries are checked in the geo step, once the country is known.
 */
export const filtersStep = {
  name: 'filters',
  run(ctx: IngestContext): StepResult {
    const { ips, paths } = ctx.site.filters;
    if (ips.length > 0 && ctx.ip && ipInCidrs(ctx.ip, ips)) return { drop: 'filtered_ip' };
    if (paths.length > 0 && paths.some((pattern) => matches(pattern, ctx.dims.path))) return { drop: 'filtered_path' };
  },
};

// Parsed patterns by text. Matching is linear in the path (see path-glob.ts): a pattern written to
// freeze the process (`/*a*a*a*a*b`) costs no more than any other.
const compiled = new Map<string, (path: string) => boolean>();

function matches(pattern: string, path: string): boolean {
  let match = compiled.get(pattern);
  if (!match) {
    match = compilePathPattern(pattern);
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(pattern, match);
  }
  return match(path);
}
