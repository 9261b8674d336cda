import { z } from 'zod';
import type { AccountsContext } from '../context.ts';
import { isId, type Db } from '../db.ts';
import { AccountsError, invalid, notFound } from '../errors.ts';
import { patternProblem } from './re2-pattern.ts';
import { requireSiteRole } from '../access/roles.ts';

/**
 * Conversion goals in Pirsch's shape. Exactly one trigger: `path_pattern` (a glob: `*` one path
 * segment, `**` anything), `pattern` (a regular expression on the path) or `event_name` (with an
 * optional meta key/value). A custom metric names an event meta key whose values are summed.
 */
const text = (max: number) => z.string().trim().max(max).default('');

export const goalSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    path_pattern: text(200).refine((p) => p === '' || p.startsWith('/'), 'must start with /'),
    // Checked by ClickHouse (RE2) in checkPattern: JavaScript's RegExp is the wrong judge both ways.
    pattern: text(200),
    event_name: text(200),
    event_meta_key: text(100),
    event_meta_value: text(200),
    custom_metric_key: text(100),
    custom_metric_type: z.enum(['', 'integer', 'float']).default(''),
    // ISO 4217 code of a money metric (revenue), shown with the totals; '' for a plain number.
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^([A-Z]{3})?$/, 'must be a three-letter currency code, e.g. EUR')
      .default(''),
    visitor_goal: z.number().int().positive().nullish(),
    cr_goal: z.number().positive().max(1).nullish(),
    delete_reached: z.boolean().default(false),
    email_reached: z.boolean().default(false),
  })
  .refine((g) => [g.path_pattern, g.pattern, g.event_name].filter(Boolean).length === 1, {
    message: 'set exactly one of path_pattern, pattern or event_name',
    path: ['path_pattern'],
  })
  .refine((g) => (g.custom_metric_key === '') === (g.custom_metric_type === ''), {
    message: 'custom_metric_key and custom_metric_type go together',
    path: ['custom_metric_type'],
  });

async function checkPattern(ctx: AccountsContext, pattern: string): Promise<void> {
  if (!pattern) return;
  const problem = await patternProblem(ctx.clickhouse?.client, pattern);
  if (problem) throw invalid(`pattern: must be an RE2 regular expression (${problem})`, 'pattern');
}

export type GoalView = {
  id: string;
  domain_id: string;
  def_time: string;
  mod_time: string;
  name: string;
  path_pattern: string;
  pattern: string;
  event_name: string;
  event_meta_key: string;
  event_meta_value: string;
  custom_metric_key: string;
  custom_metric_type: '' | 'integer' | 'float';
  currency: string;
  visitor_goal: number | null;
  cr_goal: number | null;
  delete_reached: boolean;
  email_reached: boolean;
};

const COLUMNS = `id, site_id AS domain_id, created_at AS def_time, updated_at AS mod_time, name, path_pattern, pattern, event_name,
  event_meta_key, event_meta_value, custom_metric_key, custom_metric_type, currency, visitor_goal, cr_goal, delete_reached, email_reached`;
type Row = Omit<GoalView, 'def_time' | 'mod_time'> & { def_time: Date; mod_time: Date };
const toView = (r: Row): GoalView => ({ ...r, def_time: r.def_time.toISOString(), mod_time: r.mod_time.toISOString() });

/** Every goal of a site, without access checks: for code that already checked (statistics). */
export async function listGoals(db: Db, siteId: string): Promise<GoalView[]> {
  if (!isId(siteId)) return [];
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM goal WHERE site_id = $1 ORDER BY name, id`, [siteId]);
  return rows.map(toView);
}

export async function getGoal(db: Db, siteId: string, goalId: string): Promise<GoalView | undefined> {
  if (!isId(goalId) || !isId(siteId)) return undefined;
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM goal WHERE id = $1 AND site_id = $2`, [goalId, siteId]);
  return rows[0] && toView(rows[0]);
}

const FIELDS = [
  'name',
  'path_pattern',
  'pattern',
  'event_name',
  'event_meta_key',
  'event_meta_value',
  'custom_metric_key',
  'custom_metric_type',
  'currency',
  'visitor_goal',
  'cr_goal',
  'delete_reached',
  'email_reached',
] as const;

export async function createGoal(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  input: unknown,
): Promise<GoalView> {
  await requireSiteRole(ctx.db, userId, siteId, 'admin');
  const data = goalSchema.parse(input);
  await checkPattern(ctx, data.pattern);
  const { rows } = await ctx.db.query<Row>(
    `INSERT INTO goal (site_id, ${FIELDS.join(', ')}) VALUES ($1, ${FIELDS.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING ${COLUMNS}`,
    [siteId, ...FIELDS.map((f) => data[f] ?? null)],
  );
  return toView(rows[0]!);
}

/**
 * Routes addressed by a goal id find its site first; a caller outside that site's organization must
 * get the answer an unknown id gets, or the difference tells them the id exists (issue 13).
 */
async function requireGoalAdmin(ctx: AccountsContext, userId: string, siteId: string) {
  try {
    return await requireSiteRole(ctx.db, userId, siteId, 'admin');
  } catch (error) {
    if (error instanceof AccountsError && error.code === 'not_found') throw notFound('goal not found');
    throw error;
  }
}

/** Replaces the goal's definition (PUT semantics, like Pirsch). */
export async function updateGoal(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  goalId: string,
  input: unknown,
): Promise<GoalView> {
  await requireGoalAdmin(ctx, userId, siteId);
  const data = goalSchema.parse(input);
  await checkPattern(ctx, data.pattern);
  if (!isId(goalId)) throw notFound('goal not found');
  const { rows } = await ctx.db.query<Row>(
    `UPDATE goal SET ${FIELDS.map((f, i) => `${f} = $${i + 3}`).join(', ')}, updated_at = now()
      WHERE id = $1 AND site_id = $2 RETURNING ${COLUMNS}`,
    [goalId, siteId, ...FIELDS.map((f) => data[f] ?? null)],
  );
  if (!rows[0]) throw notFound('goal not found');
  return toView(rows[0]);
}

export async function deleteGoal(ctx: AccountsContext, userId: string, siteId: string, goalId: string): Promise<void> {
  await requireGoalAdmin(ctx, userId, siteId);
  if (!isId(goalId)) throw notFound('goal not found');
  const { rowCount } = await ctx.db.query('DELETE FROM goal WHERE id = $1 AND site_id = $2', [goalId, siteId]);
  if (!rowCount) throw notFound('goal not found');
}

/** The site a goal belongs to (routes addressed by goal id resolve the site first, then authorize). */
export async function siteOfGoal(db: Db, goalId: string): Promise<string | undefined> {
  if (!isId(goalId)) return undefined;
  const { rows } = await db.query<{ site_id: string }>('SELECT site_id FROM goal WHERE id = $1', [goalId]);
  return rows[0]?.site_id;
}
