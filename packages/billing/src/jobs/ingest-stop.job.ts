import { ingestStopMessage } from '@spur/email';
import { listAccounts, organizationName, updateAccount } from '../account.repository.ts';
import { billingLinks } from '../context.ts';
import { entitlement } from '../entitlement.ts';
import { sendNoticeOnce } from '../notices.ts';
import { BILLING_OFF, type BillingJobDeps } from './job-deps.ts';

const DAY = 86_400_000;

/**
 * Daily: keeps every account's stored ingest stop time in step with the rules (ingest reads it from
 * its cached site settings, so the hot path never evaluates billing), and tells the owners of a
 * locked organization 7 days and 1 day before their sites stop being counted.
 */
export async function ingestStopJob(deps: Pick<BillingJobDeps, 'enabled' | 'db' | 'mailer' | 'now' | 'dashboardUrl'>) {
  if (!deps.enabled) return { updated: 0, sent: [], skipped: BILLING_OFF };
  const now = deps.now();
  const sent: { organizationId: string; kind: string }[] = [];
  let updated = 0;
  for (const account of await listAccounts(deps.db)) {
    const e = entitlement(account, now);
    const id = account.organization_id;
    if ((e.ingestStopAt?.getTime() ?? null) !== (account.ingest_stop_at?.getTime() ?? null)) {
      await updateAccount(deps.db, id, { ingest_stop_at: e.ingestStopAt });
      updated += 1;
    }
    if (!e.locked || !e.ingestStopAt || e.ingestStopAt <= now) continue;
    const daysLeft = Math.ceil((e.ingestStopAt.getTime() - now.getTime()) / DAY);
    if (daysLeft > 7) continue;
    const kind = daysLeft <= 1 ? 'ingest_stop_1d' : 'ingest_stop_7d';
    const name = await organizationName(deps.db, id);
    const stopDate = e.ingestStopAt.toISOString().slice(0, 10);
    if (
      await sendNoticeOnce(
        deps.db,
        deps.mailer,
        { organizationId: id, kind, periodKey: e.ingestStopAt.toISOString() },
        () =>
          ingestStopMessage({
            organizationName: name,
            daysLeft,
            stopDate,
            billingUrl: billingLinks(deps.dashboardUrl, id).billing,
          }),
      )
    )
      sent.push({ organizationId: id, kind });
  }
  return { updated, sent };
}
