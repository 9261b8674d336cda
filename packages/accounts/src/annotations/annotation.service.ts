import { z } from 'zod';
import type { AccountsContext } from '../context.ts';
import { isId, type Db } from '../db.ts';
import { AccountsError, notFound } from '../errors.ts';
import { requireSiteRole } from '../access/roles.ts';

/**
 * Annotations on a site's main chart: a day and a short text ("v2 released", "newsletter sent").
 * Anyone who may read the site reads them (with its statistics); admins add and remove them.
 */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')
  .refine(isCalendarDay, 'must be a date (YYYY-MM-DD)');

export const annotationSchema = z.object({
  day,
  text: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
});

export const annotationRangeSchema = z
  .object({ from: day.optional(), to: day.optional() })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: 'must not be before from', path: ['to'] });

export type AnnotationView = { id: string; domain_id: string; day: string; text: string; created_at: string };

function isCalendarDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

// `day` leaves Postgres as text: a `date` through node-postgres becomes a local-midnight Date.
const COLUMNS = `id, site_id AS domain_id, to_char(day, 'YYYY-MM-DD') AS day, text, created_at`;
type Row = Omit<AnnotationView, 'created_at'> & { created_at: Date };
const toView = (r: Row): AnnotationView => ({ ...r, created_at: r.created_at.toISOString() });

/** The annotations of a site whose day falls in the range (both ends included), oldest first; no access check. */
export async function listAnnotations(db: Db, siteId: string, range: unknown = {}): Promise<AnnotationView[]> {
  if (!isId(siteId)) return [];
  const { from, to } = annotationRangeSchema.parse(range);
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM annotation
      WHERE site_id = $1 AND ($2::date IS NULL OR day >= $2::date) AND ($3::date IS NULL OR day <= $3::date)
      ORDER BY day, id`,
    [siteId, from ?? null, to ?? null],
  );
  return rows.map(toView);
}

export async function createAnnotation(
  ctx: AccountsContext,
  userId: string,
  siteId: string,
  input: unknown,
): Promise<AnnotationView> {
  await requireSiteRole(ctx.db, userId, siteId, 'admin');
  const data = annotationSchema.parse(input);
  const { rows } = await ctx.db.query<Row>(
    `INSERT INTO annotation (site_id, day, text) VALUES ($1, $2::date, $3) RETURNING ${COLUMNS}`,
    [siteId, data.day, data.text],
  );
  return toView(rows[0]!);
}

/** Removes an annotation; one of a site the caller may not administer is "not found", like an unknown id. */
export async function deleteAnnotation(ctx: AccountsContext, userId: string, annotationId: string): Promise<void> {
  const siteId = await siteOfAnnotation(ctx.db, annotationId);
  if (!siteId) throw notFound('annotation not found');
  try {
    await requireSiteRole(ctx.db, userId, siteId, 'admin');
  } catch (error) {
    if (error instanceof AccountsError && error.code === 'not_found') throw notFound('annotation not found');
    throw error;
  }
  await ctx.db.query('DELETE FROM annotation WHERE id = $1 AND site_id = $2', [annotationId, siteId]);
}

async function siteOfAnnotation(db: Db, annotationId: string): Promise<string | undefined> {
  if (!isId(annotationId)) return undefined;
  const { rows } = await db.query<{ site_id: string }>('SELECT site_id FROM annotation WHERE id = $1', [annotationId]);
  return rows[0]?.site_id;
}
