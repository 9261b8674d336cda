import type pg from 'pg';
import type { BillingInterval, PlanId } from './plans.ts';

export type Queryable = pg.Pool | pg.PoolClient;

export type SubscriptionStatus =
  'trialing' | 'active' | 'past_due' | 'unpaid' | 'canceled' | 'incomplete' | 'incomplete_expired' | 'paused';

/** One organization's row of `billing_account` (migration 0005). */
export type BillingAccount = {
  organization_id: string;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  plan: PlanId;
  tier: number;
  billing_interval: BillingInterval | null;
  status: SubscriptionStatus;
  trial_start: Date;
  trial_end: Date;
  current_period_start: Date | null;
  current_period_end: Date | null;
  cancel_at_period_end: boolean;
  lapsed_at: Date | null;
  quota_lock_at: Date | null;
  grant_plan: PlanId | null;
  grant_tier: number | null;
  grant_until: Date | null;
  ingest_stop_at: Date | null;
};

const COLUMNS = `organization_id::text, stripe_customer_id, stripe_subscription_id, plan, tier, billing_interval, status,
  trial_start, trial_end, current_period_start, current_period_end, cancel_at_period_end, lapsed_at, quota_lock_at,
  grant_plan, grant_tier, grant_until, ingest_stop_at`;

/** The organization's account; `forUpdate` locks the row until the caller's transaction ends. */
export async function findAccount(
  db: Queryable,
  organizationId: string,
  forUpdate = false,
): Promise<BillingAccount | undefined> {
  const { rows } = await db.query<BillingAccount>(
    `SELECT ${COLUMNS} FROM billing_account WHERE organization_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [organizationId],
  );
  return rows[0];
}

export async function findAccountByCustomer(db: Queryable, customerId: string): Promise<BillingAccount | undefined> {
  const { rows } = await db.query<BillingAccount>(
    `SELECT ${COLUMNS} FROM billing_account WHERE stripe_customer_id = $1`,
    [customerId],
  );
  return rows[0];
}

export async function listAccounts(db: Queryable): Promise<BillingAccount[]> {
  return (await db.query<BillingAccount>(`SELECT ${COLUMNS} FROM billing_account ORDER BY organization_id`)).rows;
}

type Writable = Omit<BillingAccount, 'organization_id' | 'trial_start'>;

/** Writes the given columns (and `updated_at`); column names come from the type, never from input. */
export async function updateAccount(db: Queryable, organizationId: string, changes: Partial<Writable>): Promise<void> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return;
  const sets = entries.map(([column], i) => `${column} = $${i + 2}`);
  await db.query(`UPDATE billing_account SET ${sets.join(', ')}, updated_at = now() WHERE organization_id = $1`, [
    organizationId,
    ...entries.map(([, v]) => v),
  ]);
}

/** The caller's role in the organization, or undefined for non-members. */
export async function memberRole(db: Queryable, userId: string, organizationId: string): Promise<string | undefined> {
  if (!/^[1-9]\d{0,17}$/.test(organizationId)) return undefined;
  const { rows } = await db.query<{ role: string }>(
    'SELECT role FROM organization_member WHERE organization_id = $1 AND user_id = $2',
    [organizationId, userId],
  );
  return rows[0]?.role;
}

export async function ownerEmails(db: Queryable, organizationId: string): Promise<string[]> {
  const { rows } = await db.query<{ email: string }>(
    `SELECT u.email FROM organization_member m JOIN app_user u ON u.id = m.user_id
      WHERE m.organization_id = $1 AND m.role = 'owner' ORDER BY u.id`,
    [organizationId],
  );
  return rows.map((r) => r.email);
}

export async function organizationName(db: Queryable, organizationId: string): Promise<string> {
  const { rows } = await db.query<{ name: string }>('SELECT name FROM organization WHERE id = $1', [organizationId]);
  return rows[0]?.name ?? '';
}

export { withTransaction } from '@spur/storage';

export async function userEmail(db: Queryable, userId: string): Promise<string> {
  const { rows } = await db.query<{ email: string }>('SELECT email FROM app_user WHERE id = $1', [userId]);
  return rows[0]?.email ?? '';
}
