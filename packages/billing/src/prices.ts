import type Stripe from 'stripe';
import { CURRENCY, PLANS, getPlan, tierPrice, type BillingInterval, type Plan, type PlanId } from './plans.ts';

/** One Stripe price per plan × page-view tier × interval, found by this key. */
export const lookupKey = (plan: PlanId, tier: number, interval: BillingInterval) => `spur_${plan}_${tier}_${interval}`;

export type PriceChoice = { plan: PlanId; tier: number; interval: BillingInterval };

/** The plan, tier and interval a lookup key names, if it is one of the table's. */
export function parseLookupKey(key: string | null | undefined): PriceChoice | undefined {
  const match = /^spur_([a-z]+)_(\d+)_(monthly|yearly)$/.exec(key ?? '');
  if (!match) return undefined;
  const plan = PLANS.find((p) => p.id === match[1]);
  const tier = Number(match[2]);
  if (!plan || !plan.tiers.some((t) => t.pageViews === tier)) return undefined;
  return { plan: plan.id, tier, interval: match[3] as BillingInterval };
}

export const productId = (plan: PlanId) => `spur_${plan}`;

export function expectedPrices(): {
  key: string;
  plan: Plan;
  tier: number;
  interval: BillingInterval;
  cents: number;
}[] {
  return PLANS.flatMap((plan) =>
    plan.tiers.flatMap((tier) =>
      (['monthly', 'yearly'] as const).map((interval) => ({
        key: lookupKey(plan.id, tier.pageViews, interval),
        plan,
        tier: tier.pageViews,
        interval,
        cents: tierPrice(tier, interval),
      })),
    ),
  );
}

export type PriceSyncChange = { kind: 'product' | 'price'; action: 'created' | 'updated' | 'replaced'; key: string };

/**
 * Creates or updates the products and prices in a Stripe account from the plan table. Idempotent:
 * a second run changes nothing. Stripe prices are immutable, so a changed amount becomes a new
 * price that takes over the lookup key, and the old one is archived (existing subscribers keep it).
 */
export async function syncPrices(stripe: Stripe): Promise<PriceSyncChange[]> {
  const changes: PriceSyncChange[] = [];
  for (const plan of PLANS) {
    const id = productId(plan.id);
    const existing = await stripe.products.retrieve(id).catch((error: { statusCode?: number }) => {
      if (error.statusCode === 404) return undefined;
      throw error;
    });
    if (!existing) {
      await stripe.products.create({ id, name: `Spur ${plan.name}`, metadata: { plan: plan.id } });
      changes.push({ kind: 'product', action: 'created', key: id });
    } else if (existing.name !== `Spur ${plan.name}` || !existing.active) {
      await stripe.products.update(id, { name: `Spur ${plan.name}`, active: true });
      changes.push({ kind: 'product', action: 'updated', key: id });
    }
  }
  const current = new Map<string, Stripe.Price>();
  for (const plan of PLANS) {
    for await (const price of stripe.prices.list({ product: productId(plan.id), active: true, limit: 100 }))
      if (price.lookup_key) current.set(price.lookup_key, price);
  }
  for (const want of expectedPrices()) {
    const have = current.get(want.key);
    const recurring = want.interval === 'yearly' ? 'year' : 'month';
    if (
      have &&
      have.unit_amount === want.cents &&
      have.currency === CURRENCY.toLowerCase() &&
      have.recurring?.interval === recurring
    )
      continue;
    await stripe.prices.create({
      product: productId(want.plan.id),
      currency: CURRENCY.toLowerCase(),
      unit_amount: want.cents,
      recurring: { interval: recurring },
      lookup_key: want.key,
      transfer_lookup_key: true,
      nickname: `${want.plan.name} ${want.tier} page views, ${want.interval}`,
      tax_behavior: 'exclusive',
      metadata: { plan: want.plan.id, tier: String(want.tier), interval: want.interval },
    });
    if (have) await stripe.prices.update(have.id, { active: false });
    changes.push({ kind: 'price', action: have ? 'replaced' : 'created', key: want.key });
  }
  return changes;
}

/** The active price for a choice, or undefined when prices were never synced. */
export async function findPrice(stripe: Stripe, choice: PriceChoice): Promise<Stripe.Price | undefined> {
  const key = lookupKey(choice.plan, choice.tier, choice.interval);
  const { data } = await stripe.prices.list({ lookup_keys: [key], active: true, limit: 1 });
  return data[0];
}

/** Whether the choice names a plan and one of its tiers. */
export function isValidChoice(choice: PriceChoice): boolean {
  const plan = PLANS.find((p) => p.id === choice.plan);
  return !!plan && plan.tiers.some((t) => t.pageViews === choice.tier) && getPlan(plan.id) === plan;
}
