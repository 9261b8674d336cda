/**
 * The plan table: names, monthly page-view tiers, prices and features. The website's pricing page,
 * the quota job and the Stripe code all read this one table, so a price or limit changes in one place.
 * Prices are integer euro cents (Stripe's unit) to keep float rounding out of invoices.
 */

export type PlanId = 'starter' | 'business';
export type BillingInterval = 'monthly' | 'yearly';

export type PlanTier = {
  /** Monthly page views included; the quota job compares usage against this. */
  pageViews: number;
  monthlyCents: number;
  /** Charged once a year. */
  yearlyCents: number;
};

export type FeatureId =
  | 'cookieless'
  | 'dashboard'
  | 'events-goals'
  | 'sharing'
  | 'email-reports'
  | 'api-export'
  | 'traffic-filters'
  | 'funnels'
  | 'custom-metrics'
  | 'sessions'
  | 'rollups'
  | 'priority-support';

export type Plan = {
  id: PlanId;
  name: string;
  summary: string;
  /** `null` means unlimited. */
  maxSites: number | null;
  maxMembers: number | null;
  retentionYears: number;
  features: readonly FeatureId[];
  tiers: readonly PlanTier[];
};

export const CURRENCY = 'EUR';
export const TRIAL_DAYS = 30;
/** A yearly subscription costs this many months: two months free. */
export const YEARLY_MONTHS_CHARGED = 10;

/** Every plan offers the same page-view steps; above the last one we quote a custom price. */
export const PAGE_VIEW_TIERS = [
  10_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000,
] as const;

export const FEATURES: readonly { id: FeatureId; label: string }[] = [
  { id: 'cookieless', label: 'Cookieless tracking, no consent banner needed' },
  { id: 'dashboard', label: 'Every report: pages, referrers, channels, UTM, geo, devices' },
  { id: 'events-goals', label: 'Custom events and conversion goals' },
  { id: 'sharing', label: 'Public dashboards and password-protected access links' },
  { id: 'email-reports', label: 'Daily, weekly and monthly email reports' },
  { id: 'api-export', label: 'Pirsch-compatible REST API and CSV export' },
  { id: 'traffic-filters', label: 'Traffic filters by IP range, path and country' },
  { id: 'funnels', label: 'Funnels of up to eight steps' },
  { id: 'custom-metrics', label: 'Custom metrics such as revenue on events' },
  { id: 'sessions', label: 'Session explorer' },
  { id: 'rollups', label: 'Rollup views across several sites' },
  { id: 'priority-support', label: 'Priority support by email' },
];

const starterFeatures: FeatureId[] = [
  'cookieless',
  'dashboard',
  'events-goals',
  'sharing',
  'email-reports',
  'api-export',
  'traffic-filters',
];

function tiers(monthlyEuros: readonly number[]): PlanTier[] {
  if (monthlyEuros.length !== PAGE_VIEW_TIERS.length) throw new Error('one price per page-view tier');
  return PAGE_VIEW_TIERS.map((pageViews, i) => {
    const monthlyCents = monthlyEuros[i]! * 100;
    return { pageViews, monthlyCents, yearlyCents: monthlyCents * YEARLY_MONTHS_CHARGED };
  });
}

export const PLANS: readonly Plan[] = [
  {
    id: 'starter',
    name: 'Starter',
    summary: 'For personal sites, blogs and small businesses.',
    maxSites: 10,
    maxMembers: 3,
    retentionYears: 3,
    features: starterFeatures,
    tiers: tiers([6, 12, 19, 29, 45, 69, 99, 149]),
  },
  {
    id: 'business',
    name: 'Business',
    summary: 'For teams and agencies that run many sites and measure conversions.',
    maxSites: 50,
    maxMembers: null,
    retentionYears: 5,
    features: [...starterFeatures, 'funnels', 'custom-metrics', 'sessions', 'rollups', 'priority-support'],
    tiers: tiers([12, 24, 38, 58, 90, 138, 198, 298]),
  },
];

export function getPlan(id: PlanId): Plan {
  const plan = PLANS.find((p) => p.id === id);
  if (!plan) throw new Error(`unknown plan ${id}`);
  return plan;
}

/** The smallest tier that covers a month's page views; undefined above the top tier (custom quote). */
export function tierFor(plan: Plan, monthlyPageViews: number): PlanTier | undefined {
  return plan.tiers.find((tier) => tier.pageViews >= monthlyPageViews);
}

export function tierPrice(tier: PlanTier, interval: BillingInterval): number {
  return interval === 'yearly' ? tier.yearlyCents : tier.monthlyCents;
}

export function planHasFeature(plan: Plan, feature: FeatureId): boolean {
  return plan.features.includes(feature);
}

// One formatter each: toLocaleString builds a new Intl formatter per call, and the pricing page
// formats a few dozen prices per render.
const wholeEuros = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const euroCents = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "€12" for whole euros, "€4.50" otherwise. */
export function formatEur(cents: number): string {
  const euros = cents / 100;
  return `€${Number.isInteger(euros) ? wholeEuros.format(euros) : euroCents.format(euros)}`;
}

/** "10k", "1M", for page-view tiers in headings and links. */
export function formatPageViews(pageViews: number): string {
  if (pageViews >= 1_000_000) return `${pageViews / 1_000_000}M`;
  if (pageViews >= 1_000) return `${pageViews / 1_000}k`;
  return String(pageViews);
}
