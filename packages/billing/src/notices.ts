import type pg from 'pg';
import type { Mailer, RenderedEmail } from '@spur/email';
import { ownerEmails, withTransaction } from './account.repository.ts';

/**
 * Sends a notice to the organization's owners once per (kind, period key): the row is written and
 * the mail sent in one transaction, so a job that runs twice sends nothing twice, and a send that
 * fails leaves no row (the next run tries again). Returns whether it was sent now.
 */
export async function sendNoticeOnce(
  db: pg.Pool,
  mailer: Mailer,
  notice: { organizationId: string; kind: string; periodKey: string },
  render: () => RenderedEmail,
): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    const { rowCount } = await tx.query(
      `INSERT INTO billing_notice (organization_id, kind, period_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [notice.organizationId, notice.kind, notice.periodKey],
    );
    if (!rowCount) return false;
    const email = render();
    for (const to of await ownerEmails(tx, notice.organizationId)) await mailer.send({ ...email, to });
    return true;
  });
}
