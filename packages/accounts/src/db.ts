import type pg from 'pg';

/** A pool or a client inside a transaction: services accept either. */
export type Db = pg.Pool | pg.PoolClient;

export { withTransaction } from '@spur/storage';

const BIGINT_MAX = 9_223_372_036_854_775_807n;

/**
 * Postgres bigint ids travel as decimal strings; anything else cannot name a row. The range
 * check matters: 19 digits can still overflow bigint, and Postgres answers that with an error
 * (a 500) instead of "no such row".
 */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= BIGINT_MAX;
}

/** The unique-violation code, for turning races on unique columns into a conflict. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
