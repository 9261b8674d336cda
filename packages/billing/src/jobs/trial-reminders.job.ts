import { trialEndingMessage } from '@spur/email';
import { listAccounts, organizationName } from '../account.repository.ts';
import { billingLinks } from '../context.ts';
import { entitlement } from '../entitlement.ts';
import { sendNoticeOnce } from '../notices.ts';
import { BILLING_OFF, type BillingJobDeps } from './job-deps.ts';

/** Daily: owners of a card-less trial hear 7 days and 1 day before it ends (once each). */
export async function trialRemindersJob(
  deps: Pick<BillingJobDeps, 'enabled' | 'db' | 'mailer' | 'now' | 'dashboardUrl'>,
) {
  if (!deps.enabled) return { sent: [], skipped: BILLING_OFF };
  const now = deps.now();
  const sent: { organizationId: string; kind: string }[] = [];
  for (const account of await listAccounts(deps.db)) {
    const e = entitlement(account, now);
    if (e.source !== 'trial' || e.trialDaysLeft === null || e.trialDaysLeft > 7) continue;
    const kind = e.trialDaysLeft <= 1 ? 'trial_1d' : 'trial_7d';
    const id = account.organization_id;
    const name = await organizationName(deps.db, id);
    const periodKey = account.trial_end.toISOString();
    if (
      await sendNoticeOnce(deps.db, deps.mailer, { organizationId: id, kind, periodKey }, () =>
        trialEndingMessage({
          organizationName: name,
          daysLeft: e.trialDaysLeft!,
          billingUrl: billingLinks(deps.dashboardUrl, id).billing,
        }),
      )
    )
      sent.push({ organizationId: id, kind });
  }
  return { sent };
}
