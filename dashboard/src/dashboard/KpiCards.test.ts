import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import KpiCards from './KpiCards.vue';
import { provideDashboard } from './use-dashboard.ts';
import { jsonResponse as json } from '../testing/fixtures.ts';

const site = { id: '7', name: 'Example', hostname: 'example.com', timezone: 'UTC' };
const total = (cr: number) => ({ visitors: 10, views: 20, sessions: 12, bounces: 6, bounce_rate: 0.5, cr });

/**
 * KpiCards inside a real dashboard context at `url`. `crFor(from)` is what /statistics/total says
 * for a range starting at `from`, so the current and the comparison period can differ.
 */
async function mountAt(
  url: string,
  crFor: (from: string) => number,
  siteOf = site,
  options: { empty?: (from: string) => boolean } = {},
) {
  const fetch = vi.fn(async (input: string | URL | Request) => {
    const u = new URL(String(input), 'http://x');
    const from = u.searchParams.get('from')!;
    if (u.pathname !== '/api/v1/statistics/total') return json([]);
    return json(
      options.empty?.(from)
        ? { visitors: 0, views: 0, sessions: 0, bounces: 0, bounce_rate: 0, cr: 0 }
        : total(crFor(from)),
    );
  });
  vi.stubGlobal('fetch', fetch);
  const wrapper = await mountKpis(url, siteOf);
  return { card: wrapper.get('[data-testid="kpi-cr"]'), wrapper, fetch };
}

/** KpiCards in a real dashboard context at `url`, the API being whatever `fetch` was stubbed with. */
async function mountKpis(url: string, siteOf = site) {
  const Host = defineComponent({
    setup() {
      provideDashboard(siteOf);
      return () => h(KpiCards);
    },
  });
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: Host }] });
  await router.push(url);
  const wrapper = mount({ template: '<RouterView />' }, { global: { plugins: [router] } });
  await flushPromises();
  return wrapper;
}

afterEach(() => vi.unstubAllGlobals());

describe('the conversion-rate card', () => {
  it('when no filter is set, then it shows a dash and how to get a rate, not the API’s 0% vs 0%', async () => {
    const { card } = await mountAt('/?period=custom&from=2026-03-01&to=2026-03-07', () => 0);
    expect(card.get('[data-testid="kpi-value"]').text()).toBe('—');
    expect(card.get('[data-testid="kpi-hint"]').text()).toBe(
      'Filter by a goal, event or page to see its conversion rate',
    );
    expect(card.find('.delta').exists()).toBe(false);
    expect(card.text()).not.toContain('%');
  });

  it('when a filter is set, then it shows the filtered share of visitors and its change against the comparison', async () => {
    const { card, fetch } = await mountAt('/?period=custom&from=2026-03-08&to=2026-03-14&event=Signup', (from) =>
      from === '2026-03-08' ? 0.25 : 0.2,
    );
    expect(card.get('[data-testid="kpi-value"]').text()).toBe('25%');
    expect(card.find('[data-testid="kpi-hint"]').exists()).toBe(false);
    // Rates move by percentage points: 20% → 25% is 5 points up, not "25% more".
    expect(card.get('.delta').text()).toMatch(/^▲\s*5 pp/);
    expect(card.get('.delta .muted').text()).toBe('vs 20%');
    // The filter reaches the API for both periods, or the rate would be of everyone.
    const totals = fetch.mock.calls
      .map(([u]) => new URL(String(u), 'http://x'))
      .filter((u) => u.pathname.endsWith('/total'));
    expect(totals.map((u) => [u.searchParams.get('from'), u.searchParams.get('event')])).toEqual([
      ['2026-03-08', 'Signup'],
      ['2026-03-01', 'Signup'],
    ]);
  });
});

describe('what the cards compare with', () => {
  const totalsAsked = (fetch: ReturnType<typeof vi.fn>) =>
    fetch.mock.calls
      .map(([u]) => new URL(String(u), 'http://x'))
      .filter((u) => u.pathname.endsWith('/total'))
      .map((u) => [u.searchParams.get('from'), u.searchParams.get('to'), u.searchParams.get('to_time')]);

  it('when today is shown, then yesterday is counted only up to the current time of day', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-10T11:42:00Z'), toFake: ['Date'] });
    try {
      const { fetch } = await mountAt('/?period=today', () => 0);
      expect(totalsAsked(fetch)).toEqual([
        ['2026-03-10', '2026-03-10', null],
        ['2026-03-09', '2026-03-09', '11:42'],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('when a finished period is shown, then the comparison runs to its end of day', async () => {
    const { fetch } = await mountAt('/?period=custom&from=2026-03-08&to=2026-03-14', () => 0);
    expect(totalsAsked(fetch)).toEqual([
      ['2026-03-08', '2026-03-14', null],
      ['2026-03-01', '2026-03-07', null],
    ]);
  });

  it('when the previous period holds no visit at all, then no card shows a comparison', async () => {
    const { wrapper, fetch } = await mountAt('/?period=custom&from=2026-03-01&to=2026-03-05', () => 0, site, {
      empty: (from) => from < '2026-03-01',
    });
    expect(totalsAsked(fetch)).toEqual([
      ['2026-03-01', '2026-03-05', null],
      ['2026-02-24', '2026-02-28', null],
    ]);
    expect(wrapper.get('[data-testid="kpi-visitors"] [data-testid="kpi-value"]').text()).toBe('10');
    expect(wrapper.findAll('.delta')).toEqual([]);
  });

  it('when "all time" is shown, then nothing is compared and the picker says why', async () => {
    const { wrapper, fetch } = await mountAt('/?period=all', () => 0);
    expect(totalsAsked(fetch).length).toBe(1);
    expect(wrapper.findAll('.delta')).toEqual([]);
  });
});

describe('the custom metric cards', () => {
  const purchase = {
    id: 'g1',
    name: 'Purchase',
    path_pattern: '',
    pattern: '',
    event_name: 'Purchase',
    custom_metric_key: 'amount',
    custom_metric_type: 'float',
    currency: 'eur',
  };
  /** The API's totals: the metric is 0 unless asked for; 25.00 this week, 20.00 the week before. */
  async function mountMetric(url: string) {
    const fetch = vi.fn(async (input: string | URL | Request) => {
      const u = new URL(String(input), 'http://x');
      if (u.pathname === '/api/v1/goal') return json([purchase]);
      if (u.pathname !== '/api/v1/statistics/total') return json([]);
      const asked = u.searchParams.get('custom_metric_key') === 'amount';
      const now = u.searchParams.get('from') === '2026-03-08';
      return json({
        ...total(0.1),
        custom_metric_total: asked ? (now ? 25 : 20) : 0,
        custom_metric_avg: asked ? (now ? 12.5 : 20) : 0,
      });
    });
    vi.stubGlobal('fetch', fetch);
    const wrapper = await mountKpis(url);
    const totals = fetch.mock.calls
      .map(([u]) => new URL(String(u), 'http://x'))
      .filter((u) => u.pathname.endsWith('/total'))
      .map((u) => [u.searchParams.get('from'), u.searchParams.get('custom_metric_key')]);
    const card = (key: string) => {
      const c = wrapper.find(`[data-testid="kpi-${key}"]`);
      return c.exists()
        ? [c.get('.label').text(), c.get('[data-testid="kpi-value"]').text(), c.get('.delta').text()]
        : [];
    };
    return { totals, card };
  }
  const week = 'period=custom&from=2026-03-08&to=2026-03-14';

  it('when filtered to a revenue goal’s event, then total and average revenue show in its currency against the period before, from the one totals request of each period', async () => {
    const { totals, card } = await mountMetric(`/?${week}&event=Purchase`);
    expect(card('custom_metric_total')).toEqual([
      'Total revenue',
      '€25.00',
      expect.stringMatching(/^▲\s*25%\s*more than\s*vs €20.00$/),
    ]);
    expect(card('custom_metric_avg')).toEqual([
      'Average revenue',
      '€12.50',
      expect.stringMatching(/^▼\s*38%\s*less than\s*vs €20.00$/),
    ]);
    expect(totals).toEqual([
      ['2026-03-08', 'amount'],
      ['2026-03-01', 'amount'],
    ]);
  });

  it('when a key is chosen to add up in the URL, then its plain total and average show', async () => {
    const { card } = await mountMetric(`/?${week}&event=Quote&custom_metric_key=amount&custom_metric_type=float`);
    expect(card('custom_metric_total')).toEqual(['Total amount', '25', expect.stringMatching(/^▲\s*25%/)]);
    expect(card('custom_metric_avg')).toEqual(['Average amount', '12.5', expect.stringMatching(/^▼\s*38%/)]);
  });

  it('when no event with a metric is filtered, then there are no metric cards and no metric is asked for', async () => {
    for (const url of [`/?${week}`, `/?${week}&event=Signup`]) {
      const { totals, card } = await mountMetric(url);
      expect(card('custom_metric_total')).toEqual([]);
      expect(totals.map(([, key]) => key)).toEqual([null, null]);
    }
  });
});
