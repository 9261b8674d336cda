import { z } from 'zod';
import type { AccountsContext } from '../context.ts';
import { isId, withTransaction, type Db } from '../db.ts';
import { AccountsError, invalid, notFound } from '../errors.ts';
import { patternProblem } from './re2-pattern.ts';
import { requireSiteRole } from '../access/roles.ts';

/**
 * Funnels: 2-8 ordered steps, each a filter in the statistics filter model (`path`, `event`,
 * `event_meta_*`, `country`, … with the usual `!`/`~`/`^` value syntax). The statistics code
 * parses and counts them; here they are validated for shape and stored.
 */
const filterValue = z.union([z.string().max(500), z.array(z.string().max(500)).max(20)]);
export const funnelStepFilterSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, 'filter keys are lower-case field names'), filterValue)
  .refine((f) => Object.keys(f).length >= 1 && Object.keys(f).length <= 20, 'a step needs 1-20 filter fields')
  .refine((f) => !('id' in f || 'from' in f || 'to' in f), 'a step filter cannot set id, from or to');

export const funnelSchema = z.object({
  name: z.string().trim().min(1).max(100),
  steps: z
    .array(z.object({ name: z.string().trim().min(1).max(100), filter: funnelStepFilterSchema }))
    .min(2)
    .max(8),
});

export type FunnelStepView = {
  id: string;
  funnel_id: string;
  name: string;
  step: number;
  filter: Record<string, string | string[]>;
};
export type FunnelView = {
  id: string;
  domain_id: string;
  name: string;
  def_time: string;
  mod_time: string;
  steps: FunnelStepView[];
};

type FunnelRow = { id: string; site_id: string; name: string; created_at: Date; updated_at: Date };

async function loadFunnels(db: Db, where: string, params: unknown[]): Promise<FunnelView[]> {
  const { rows } = await db.query<FunnelRow>(
    `SELECT id, site_id, name, created_at, updated_at FROM funnel WHERE ${where} ORDER BY name, id`,
    params,
  );
  if (rows.length === 0) return [];
  const steps = await db.query<{
    funnel_id: string;
    step: number;
    name: string;
    filter: Record<string, string | string[]>;
  }>(
    'SELECT funnel_id, step, name, filter FROM funnel_step WHERE funnel_id = ANY($1::bigint[]) ORDER BY funnel_id, step',
    [rows.map((r) => r.id)],
  );
  return rows.map((f) => ({
    id: f.id,
    domain_id: f.site_id,
    name: f.name,
    def_time: f.created_at.toISOString(),
    mod_time: f.updated_at.toISOString(),
    steps: steps.rows
      .filter((s) => s.funnel_id === f.id)
      .map((s) => ({ id: `${f.id}-${s.step}`, funnel_id: f.id, name: s.name, step: s.step, filter: s.filter })),
  }));
}

/** Without access checks: for code that already checked (statistics). */
export async function listFunnels(db: Db, siteId: string): Promise<FunnelView[]> {
  return isId(siteId) ? loadFunnels(db, 'site_id = $1', [siteId]) : [];
}

export async function getFunnel(db: Db, siteId: string, funnelId: string): Promise<FunnelView | undefined> {
  if (!isId(siteId) || !isId(funnelId)) return undefined;
  return (await loadFunnels(db, 'id = $1 AND site_id = $2', [funnelId, siteId]))[0];
}

async function writeSteps(tx: Db, funnelId: string, steps: z.infer<typeof funnelSchema>['steps']): Promise<void> {
  await tx.query('DELETE FROM funnel_step WHERE funnel_id = $1', [funnelId]);
  for (const [i, step] of steps.entries()) {
    await tx.query('INSERT INTO funnel_step (funnel_id, step, name, filter) VALUES ($1, $2, $3, $4)', [
      funnelId,
      i + 1,
      step.name,
      JSON.stringify(step.filter),
    ]);
  }
}

/** Step `pattern` values run in ClickHouse: each must compile as RE2 (`!` is the negation, not part of it). */
async function checkStepPatterns(ctx: AccountsContext, steps: z.infer<typeof funnelSchema>['steps']): Promise<void> {
  for (const [i, step] of steps.entries()) {
    if (!Object.hasOwn(step.filter, 'pattern')) continue;
    const raw = step.filter.pattern!;
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      const problem = await patternProblem(ctx.clickhouse?.client, value.startsWith('!') ? value.slice(1) : value);
      const field = `steps.${i}.filter.pattern`;
      if (problem) throw invalid(`${field}: must be an RE2 regular expression (${problem})`, field);
    }
  }
}

export async function createFunnel(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  input: unknown,
): Promise<FunnelView> {
  await requireSiteRole(ctx.db, userId, siteId, 'admin');
  const data = funnelSchema.parse(input);
  await checkStepPatterns(ctx, data.steps);
  const id = await withTransaction(ctx.db, async (tx) => {
    const { rows } = await tx.query<{ id: string }>('INSERT INTO funnel (site_id, name) VALUES ($1, $2) RETURNING id', [
      siteId,
      data.name,
    ]);
    await writeSteps(tx, rows[0]!.id, data.steps);
    return rows[0]!.id;
  });
  return (await getFunnel(ctx.db, siteId, id))!;
}

/**
 * Routes addressed by a funnel id find its site first; a caller outside that site's organization must
 * get the answer an unknown id gets, or the difference tells them the id exists (issue 13).
 */
async function requireFunnelAdmin(ctx: AccountsContext, userId: string, siteId: string) {
  try {
    return await requireSiteRole(ctx.db, userId, siteId, 'admin');
  } catch (error) {
    if (error instanceof AccountsError && error.code === 'not_found') throw notFound('funnel not found');
    throw error;
  }
}

export async function updateFunnel(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  funnelId: string,
  input: unknown,
): Promise<FunnelView> {
  await requireFunnelAdmin(ctx, userId, siteId);
  const data = funnelSchema.parse(input);
  await checkStepPatterns(ctx, data.steps);
  if (!isId(funnelId)) throw notFound('funnel not found');
  await withTransaction(ctx.db, async (tx) => {
    const { rowCount } = await tx.query(
      'UPDATE funnel SET name = $3, updated_at = now() WHERE id = $1 AND site_id = $2',
      [funnelId, siteId, data.name],
    );
    if (!rowCount) throw notFound('funnel not found');
    await writeSteps(tx, funnelId, data.steps);
  });
  return (await getFunnel(ctx.db, siteId, funnelId))!;
}

export async function deleteFunnel(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  funnelId: string,
): Promise<void> {
  await requireFunnelAdmin(ctx, userId, siteId);
  if (!isId(funnelId)) throw notFound('funnel not found');
  const { rowCount } = await ctx.db.query('DELETE FROM funnel WHERE id = $1 AND site_id = $2', [funnelId, siteId]);
  if (!rowCount) throw notFound('funnel not found');
}

export async function siteOfFunnel(db: Db, funnelId: string): Promise<string | undefined> {
  if (!isId(funnelId)) return undefined;
  const { rows } = await db.query<{ site_id: string }>('SELECT site_id FROM funnel WHERE id = $1', [funnelId]);
  return rows[0]?.site_id;
}
