import { z } from 'zod';
import {
  CURRENCY,
  FEATURES,
  PAGE_VIEW_TIERS,
  PLANS,
  TRIAL_DAYS,
  YEARLY_MONTHS_CHARGED,
  formatEur as formatEurUncached,
  formatPageViews,
  tierFor,
  tierPrice,
  type BillingInterval,
  type Plan,
} from '@spur/billing';
import { ariaCurrent, flat, html, type SafeHtml } from '../html/escape.ts';
import type { PageDeps } from './page-deps.ts';

/**
 * The monthly/yearly toggle and the page-view picker are plain links (`?billing=yearly&views=…`),
 * so they work without JavaScript. Anything unexpected in the query falls back to the defaults
 * rather than erroring: these URLs get shared and mangled.
 */
export const pricingQuery = z.object({
  billing: z.enum(['monthly', 'yearly']).catch('monthly'),
  views: z.coerce
    .number()
    .refine((n) => (PAGE_VIEW_TIERS as readonly number[]).includes(n))
    .catch(PAGE_VIEW_TIERS[0]),
});
export type PricingQuery = z.infer<typeof pricingQuery>;

export function parsePricingQuery(query: URLSearchParams): PricingQuery {
  return pricingQuery.parse({ billing: query.get('billing') ?? undefined, views: query.get('views') ?? undefined });
}

const hrefs = new Map<string, string>();

/** The link for one choice; at most 2 × 8 distinct ones, so they are built once. */
export function pricingHref(billing: BillingInterval, views: number): string {
  const key = `${billing} ${views}`;
  let href = hrefs.get(key);
  if (href === undefined) hrefs.set(key, (href = buildHref(billing, views)));
  return href;
}

function buildHref(billing: BillingInterval, views: number): string {
  const params = new URLSearchParams();
  if (billing !== 'monthly') params.set('billing', billing);
  if (views !== PAGE_VIEW_TIERS[0]) params.set('views', String(views));
  const query = params.toString();
  return query ? `/pricing?${query}` : '/pricing';
}

// Intl formatting is the slowest step of this page; the prices come from a fixed table, so the
// set of formatted amounts is small and bounded.
const formatted = new Map<number, string>();
function formatEur(cents: number): string {
  let text = formatted.get(cents);
  if (text === undefined) formatted.set(cents, (text = formatEurUncached(cents)));
  return text;
}

const current = (active: boolean) => (active ? ariaCurrent.true : ariaCurrent.none);
const limit = (value: number | null, noun: string) => (value === null ? `Unlimited ${noun}` : `Up to ${value} ${noun}`);

function planCard(plan: Plan, q: PricingQuery, signup: string): SafeHtml {
  const tier = tierFor(plan, q.views)!;
  const price = tierPrice(tier, q.billing);
  const perMonth =
    q.billing === 'yearly'
      ? html`<p class="muted">
          Billed yearly: ${formatEur(Math.round(price / 12))} a month, ${12 - YEARLY_MONTHS_CHARGED} months free.
        </p>`
      : html`<p class="muted">Billed monthly. Switch to yearly and get ${12 - YEARLY_MONTHS_CHARGED} months free.</p>`;
  // Sign-up keeps plan, tier and interval in the browser and the billing page opens checkout with them.
  const href = `${signup}?${new URLSearchParams({ plan: plan.id, tier: String(tier.pageViews), interval: q.billing })}`;
  return html`<article class="plan${plan.id === 'business' ? ' featured' : ''}" aria-labelledby="plan-${plan.id}">
    <h2 id="plan-${plan.id}">${plan.name}</h2>
    <p class="muted summary">${plan.summary}</p>
    <p class="price" data-plan="${plan.id}">
      ${formatEur(price)} <small>/ ${q.billing === 'yearly' ? 'year' : 'month'}</small>
    </p>
    <p><strong>${formatPageViews(q.views)} page views</strong> a month</p>
    ${perMonth}
    <p><a class="btn btn-primary" href="${href}">Start ${TRIAL_DAYS}-day free trial</a></p>
    <ul class="check">
      <li>${limit(plan.maxSites, 'websites')}</li>
      <li>${limit(plan.maxMembers, 'team members')}</li>
      <li>${plan.retentionYears} years of data retention</li>
      ${FEATURES.filter((f) => plan.features.includes(f.id)).map((f) => html`<li>${f.label}</li>`)}
    </ul>
  </article>`;
}

function priceTable(q: PricingQuery): SafeHtml {
  return html`<div class="table">
    <table>
      <thead>
        <tr>
          <th>page views a month</th>
          ${PLANS.map((p) => html`<th>${p.name}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${PAGE_VIEW_TIERS.map(
          (views) =>
            html`<tr>
              <td>
                <a href="${pricingHref(q.billing, views)}" ${current(views === q.views)}>${formatPageViews(views)}</a>
              </td>
              ${PLANS.map((p) => html`<td>${formatEur(tierPrice(tierFor(p, views)!, q.billing))}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

const featureTable = (): SafeHtml =>
  html`<div class="table">
    <table>
      <thead>
        <tr>
          <th>feature</th>
          ${PLANS.map((p) => html`<th>${p.name}</th>`)}
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>Websites</td>
          ${PLANS.map((p) => html`<td>${p.maxSites ?? 'unlimited'}</td>`)}
        </tr>
        <tr>
          <td>Team members</td>
          ${PLANS.map((p) => html`<td>${p.maxMembers ?? 'unlimited'}</td>`)}
        </tr>
        <tr>
          <td>Data retention</td>
          ${PLANS.map((p) => html`<td>${p.retentionYears} years</td>`)}
        </tr>
        ${FEATURES.map(
          (f) =>
            html`<tr>
              <td>${f.label}</td>
              ${PLANS.map((p) => html`<td>${p.features.includes(f.id) ? '✓' : '—'}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;

const faq: [string, string][] = [
  [
    'What counts as a page view?',
    'Every page load or single-page-app navigation the script reports, and every hit your server sends. Custom events, such as clicks and sign-ups, count like page views.',
  ],
  [
    'What happens if I go over my page views?',
    'We keep counting: a traffic spike never costs you data. Only if your sites are more than 10 % over your tier two cycles in a row do we ask you to upgrade, with 7 days to do so. See plans and quotas in the docs.',
  ],
  [
    'Do I need a credit card for the trial?',
    `No. The trial runs for ${TRIAL_DAYS} days with every Business feature. Choose a plan when it ends; your sites keep being counted for 14 more days.`,
  ],
  [
    'Can I change or cancel my plan?',
    'Yes, at any time in the dashboard. Upgrades apply at once; a cancelled plan runs until the end of the paid period.',
  ],
  [
    'Are prices with VAT?',
    `Prices are in ${CURRENCY}. VAT is added where it applies; businesses in the EU with a VAT id are billed under the reverse-charge procedure.`,
  ],
  ['More than 10 million page views?', 'Write to us for a custom plan. The same software handles it.'],
];

// The parts that do not depend on the visitor's choice are built once.
const comparison = flat(featureTable());
const questions = flat(
  html`<section class="section">
    <div class="prose">
      <h2 id="faq">Questions</h2>
      ${faq.map(
        ([question, answer]) =>
          html`<h3>${question}</h3>
            <p>${answer}</p>`,
      )}
    </div>
  </section>`,
);

export function renderPricing({ links, layout }: PageDeps, query: URLSearchParams): string {
  const q = parsePricingQuery(query);
  return layout(
    {
      path: '/pricing',
      title: 'Pricing',
      description: `Simple pricing by monthly page views, from ${formatEur(PLANS[0]!.tiers[0]!.monthlyCents)} a month. Every plan starts with a ${TRIAL_DAYS}-day free trial.`,
      section: 'pricing',
    },
    html`<div class="wrap">
      <div class="page-head">
        <p class="eyebrow">Pricing</p>
        <h1>Pay for the traffic you have</h1>
        <p>
          Choose a plan by what you need, and a tier by your monthly page views. Every plan starts with ${TRIAL_DAYS}
          days free, no card required.
        </p>
      </div>
      <nav class="toggle" aria-label="Billing period">
        <a href="${pricingHref('monthly', q.views)}" ${current(q.billing === 'monthly')}>Monthly</a
        ><a href="${pricingHref('yearly', q.views)}" ${current(q.billing === 'yearly')}
          >Yearly: ${12 - YEARLY_MONTHS_CHARGED} months free</a
        >
      </nav>
      <nav class="tiers" aria-label="Monthly page views">
        ${PAGE_VIEW_TIERS.map((views) => html`<a href="${pricingHref(q.billing, views)}" ${current(views === q.views)}>${formatPageViews(views)}</a>`)}
      </nav>
      <div class="plans">${PLANS.map((plan) => planCard(plan, q, links.signup))}</div>
      <section class="section">
        <h2 id="all-prices">All prices, ${q.billing}</h2>
        ${priceTable(q)}
      </section>
      <section class="section">
        <h2 id="compare">Compare plans</h2>
        ${comparison}
      </section>
      ${questions}
    </div>`,
  );
}
