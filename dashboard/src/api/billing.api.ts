import { z } from 'zod/mini';
import { request } from './http.ts';

const id = encodeURIComponent;

const banner = z.union([
  z.object({ kind: z.literal('trial'), daysLeft: z.number(), trialEnd: z.string() }),
  z.object({ kind: z.literal('over_quota'), usage: z.number(), quota: z.number(), lockAt: z.nullable(z.string()) }),
  z.object({ kind: z.literal('payment_failed') }),
  z.object({
    kind: z.literal('locked'),
    reason: z.string(),
    message: z.string(),
    ingestStopAt: z.nullable(z.string()),
  }),
]);
export type Banner = z.infer<typeof banner>;

export const overviewSchema = z.object({
  enabled: z.literal(true),
  organizationId: z.string(),
  source: z.enum(['trial', 'subscription', 'grant', 'none']),
  plan: z.enum(['starter', 'business']),
  planName: z.string(),
  tier: z.number(),
  interval: z.nullable(z.enum(['monthly', 'yearly'])),
  status: z.string(),
  trialEnd: z.string(),
  currentPeriodEnd: z.nullable(z.string()),
  cancelAtPeriodEnd: z.boolean(),
  grantUntil: z.nullable(z.string()),
  locked: z.nullable(z.string()),
  ingestStopAt: z.nullable(z.string()),
  hasCustomer: z.boolean(),
  cycle: z.object({ start: z.string(), end: z.string() }),
  usage: z.object({
    total: z.number(),
    quota: z.number(),
    percent: z.number(),
    days: z.array(z.object({ day: z.string(), pageViews: z.number(), events: z.number() })),
  }),
  limits: z.object({
    maxSites: z.nullable(z.number()),
    maxMembers: z.nullable(z.number()),
    features: z.array(z.string()),
  }),
  banners: z.array(banner),
});
export type BillingOverview = z.infer<typeof overviewSchema>;
export type BillingState = BillingOverview | { enabled: false };

const stateSchema = z.union([overviewSchema, z.object({ enabled: z.literal(false) })]);
const urlSchema = z.object({ url: z.string() });
const previewSchema = z.object({
  amountDue: z.number(),
  currency: z.string(),
  prorationDate: z.number(),
  lines: z.array(z.object({ description: z.nullable(z.string()), amount: z.number() })),
});
export type ChangePreview = z.infer<typeof previewSchema>;

export type PlanChoice = { plan: 'starter' | 'business'; tier: number; interval: 'monthly' | 'yearly' };

const base = (orgId: string) => `/api/v1/organizations/${id(orgId)}/billing`;

/** backend/src/routes/billing.router.ts */
export const billingApi = {
  get: (orgId: string) => request('GET', base(orgId), { schema: stateSchema }),
  checkout: (orgId: string, choice: PlanChoice) =>
    request('POST', `${base(orgId)}/checkout`, { body: choice, schema: urlSchema }),
  portal: (orgId: string) => request('POST', `${base(orgId)}/portal`, { schema: urlSchema }),
  preview: (orgId: string, choice: PlanChoice) =>
    request('POST', `${base(orgId)}/preview`, { body: choice, schema: previewSchema }),
  change: (orgId: string, choice: PlanChoice, prorationDate: number) =>
    request('POST', `${base(orgId)}/change`, {
      body: { ...choice, proration_date: prorationDate },
      schema: overviewSchema,
    }),
  cancel: (orgId: string) => request('POST', `${base(orgId)}/cancel`, { schema: overviewSchema }),
  resume: (orgId: string) => request('POST', `${base(orgId)}/resume`, { schema: overviewSchema }),
};
