export {
  CURRENCY,
  FEATURES,
  PAGE_VIEW_TIERS,
  PLANS,
  TRIAL_DAYS,
  YEARLY_MONTHS_CHARGED,
  formatEur,
  formatPageViews,
  getPlan,
  planHasFeature,
  tierFor,
  tierPrice,
  type BillingInterval,
  type FeatureId,
  type Plan,
  type PlanId,
  type PlanTier,
} from './plans.ts';
export { BillingError } from './errors.ts';
export { billingLinks, type BillingContext } from './context.ts';
export { billingEnabled, createBillingContext, createStripeClient, type StripeConfig } from './stripe-client.ts';
export {
  lookupKey,
  parseLookupKey,
  syncPrices,
  findPrice,
  expectedPrices,
  type PriceChoice,
  type PriceSyncChange,
} from './prices.ts';
export {
  findAccount,
  listAccounts,
  memberRole,
  userEmail,
  updateAccount,
  type BillingAccount,
  type SubscriptionStatus,
} from './account.repository.ts';
export {
  entitlement,
  hasLiveSubscription,
  LOCK_MESSAGES,
  TRIAL_INGEST_DAYS,
  LAPSED_INGEST_DAYS,
  QUOTA_GRACE_DAYS,
  type Entitlement,
  type LockReason,
} from './entitlement.ts';
export { addMonths, cycleAt, previousCycle, cycleDays, type Cycle } from './cycle.ts';
export { mirrorSubscription, refreshIngestStop, isUpgrade, isDowngrade } from './subscription-mirror.ts';
export { handleStripeWebhook, type WebhookOutcome } from './webhook.service.ts';
export { ensureCustomer, startCheckout, openPortal } from './checkout.service.ts';
export {
  previewPlanChange,
  changePlan,
  setCancelAtPeriodEnd,
  checkDowngrade,
  type ChangePreview,
} from './plan-change.service.ts';
export { billingOverview, overviewOf, type BillingOverview, type Banner } from './overview.service.ts';
export { assertStatisticsAllowed, assertWithinLimit } from './gate.ts';
export { grantPlan, revokeGrant } from './grant.service.ts';
export { reconcileSubscriptions, type ReconcileResult } from './reconcile.service.ts';
export { measureUsage, usageDays, usageInCycle, totalUsage, currentCycle, type UsageDay } from './usage.ts';
export { measureUsageJob } from './jobs/measure-usage.job.ts';
export { quotaNoticesJob } from './jobs/quota-notices.job.ts';
export { trialRemindersJob } from './jobs/trial-reminders.job.ts';
export { ingestStopJob } from './jobs/ingest-stop.job.ts';
export { reconcileJob } from './jobs/reconcile.job.ts';
export type { BillingJobDeps } from './jobs/job-deps.ts';
export { BILLING_HELP, runBillingCommand, type BillingCommandDeps } from './cli/billing-commands.ts';
