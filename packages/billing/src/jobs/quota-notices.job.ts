import { overQuotaGraceMessage, quotaMessage } from '@spur/email';
import { listAccounts, organizationName, updateAccount } from '../account.repository.ts';
import { billingLinks } from '../context.ts';
import { previousCycle } from '../cycle.ts';
import { entitlement, QUOTA_GRACE_DAYS } from '../entitlement.ts';
import { sendNoticeOnce } from '../notices.ts';
import { currentCycle, cycleAnchor, usageInCycle } from '../usage.ts';
import { BILLING_OFF, type BillingJobDeps } from './job-deps.ts';

const DAY = 86_400_000;
/** Over quota counts for the lock only above this share of it: small overshoots are free. */
const TOLERANCE = 1.1;

/**
 * Daily, after usage is measured: emails at 80 % and 100 % of the quota (once per cycle each), and
 * the over-quota rule: when each of the last two complete cycles was more than 10 % over, the
 * owners are told once and statistics lock 7 days later unless they upgrade. Nothing is dropped.
 */
export async function quotaNoticesJob(
  deps: Pick<BillingJobDeps, 'enabled' | 'db' | 'mailer' | 'now' | 'log' | 'dashboardUrl'>,
) {
  if (!deps.enabled) return { sent: [], skipped: BILLING_OFF };
  const now = deps.now();
  const sent: { organizationId: string; kind: string }[] = [];
  for (const account of await listAccounts(deps.db)) {
    const e = entitlement(account, now);
    if (e.source === 'none' || e.source === 'grant') continue;
    const id = account.organization_id;
    const cycle = currentCycle(account, now);
    const usage = await usageInCycle(deps.db, id, cycle);
    const billingUrl = billingLinks(deps.dashboardUrl, id).billing;
    const name = await organizationName(deps.db, id);
    for (const percent of [100, 80] as const) {
      if (usage < (e.tier * percent) / 100) continue;
      const kind = `quota_${percent}`;
      if (
        await sendNoticeOnce(
          deps.db,
          deps.mailer,
          { organizationId: id, kind, periodKey: cycle.start.toISOString() },
          () => quotaMessage({ organizationName: name, percent, usage, quota: e.tier, billingUrl }),
        )
      )
        sent.push({ organizationId: id, kind });
      break; // 100 % implies 80 %: one email, the more urgent one.
    }
    if (e.source !== 'subscription' || account.quota_lock_at) continue;
    const anchor = cycleAnchor(account);
    const last = await usageInCycle(deps.db, id, previousCycle(anchor, now, 1));
    const before = await usageInCycle(deps.db, id, previousCycle(anchor, now, 2));
    if (last <= e.tier * TOLERANCE || before <= e.tier * TOLERANCE) continue;
    const lockAt = new Date(now.getTime() + QUOTA_GRACE_DAYS * DAY);
    await updateAccount(deps.db, id, { quota_lock_at: lockAt });
    const lockDate = lockAt.toISOString().slice(0, 10);
    await sendNoticeOnce(
      deps.db,
      deps.mailer,
      { organizationId: id, kind: 'over_quota_grace', periodKey: lockDate },
      () => overQuotaGraceMessage({ organizationName: name, lockDate, billingUrl }),
    );
    sent.push({ organizationId: id, kind: 'over_quota_grace' });
    deps.log.info({ organizationId: id, lockAt }, 'two cycles over quota: grace period started');
  }
  return { sent };
}
