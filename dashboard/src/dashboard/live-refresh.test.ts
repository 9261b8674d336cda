import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, type Component } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import KpiCards from './KpiCards.vue';
import NoDataHint from './NoDataHint.vue';
import { LIVE_REFRESH_MS, provideDashboard } from './use-dashboard.ts';
import { jsonResponse as json } from '../testing/fixtures.ts';

const site = { id: '7', name: 'Example', hostname: 'example.com', timezone: 'UTC' };

/**
 * `child` inside a real dashboard of `siteOf` at `url`; /statistics/total answers `visitors()` each
 * time it is asked (the key figures' and the no-data hint's only request).
 */
async function mountOnDashboard(
  child: Component,
  url: string,
  visitors: () => number | 'fail',
  siteOf: typeof site & { created_at?: string } = site,
) {
  const fetch = vi.fn(async (input: string | URL | Request) => {
    const u = new URL(String(input), 'http://x');
    if (u.pathname !== '/api/v1/statistics/total') return json([]);
    const n = visitors();
    if (n === 'fail') return json({ error: 'temporarily unavailable' }, 503);
    return json({ visitors: n, views: 2 * n, sessions: n, bounces: 0, bounce_rate: 0, cr: 0 });
  });
  vi.stubGlobal('fetch', fetch);
  const Host = defineComponent({
    setup() {
      provideDashboard(siteOf);
      return () => h(child);
    },
  });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Host },
      { path: '/sites/:siteId/setup', name: 'site-setup', component: Host },
    ],
  });
  await router.push(url);
  const wrapper = mount({ template: '<RouterView />' }, { global: { plugins: [router] } });
  await flushPromises();
  const asked = () => fetch.mock.calls.filter(([u]) => String(u).includes('/statistics/total')).length;
  return { wrapper, asked };
}

/** The key figures on a dashboard at `url`. */
async function mountAt(url: string, visitors: () => number | 'fail') {
  const { wrapper, asked } = await mountOnDashboard(KpiCards, url, visitors);
  const shown = () => wrapper.get('[data-testid="kpi-visitors"] [data-testid="kpi-value"]').text();
  return { wrapper, asked, shown };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(new Date('2026-03-14T12:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('a dashboard left open', () => {
  it('when its period ends today, then its figures are asked again every minute, without dimming, and a failed refresh keeps them', async () => {
    let visitors: number | 'fail' = 10;
    const { wrapper, asked, shown } = await mountAt('/?period=today&compare=off', () => visitors);
    expect(shown()).toBe('10');
    const before = asked();

    visitors = 12;
    vi.advanceTimersByTime(LIVE_REFRESH_MS);
    await wrapper.vm.$nextTick();
    // While the refresh is on its way the figures stay as they are: not dimmed, not busy.
    expect(wrapper.find('.dim').exists()).toBe(false);
    expect(wrapper.find('[aria-busy="true"]').exists()).toBe(false);
    await flushPromises();
    expect(asked()).toBe(before + 1);
    expect(shown()).toBe('12');

    // A refresh that fails leaves what was shown, and no error in its place.
    visitors = 'fail';
    vi.advanceTimersByTime(LIVE_REFRESH_MS);
    await flushPromises();
    expect(asked()).toBe(before + 2);
    expect(shown()).toBe('12');
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);

    visitors = 15;
    vi.advanceTimersByTime(LIVE_REFRESH_MS);
    await flushPromises();
    expect(shown()).toBe('15');
    wrapper.unmount();
  });

  it('when its period is in the past, then nothing is asked again', async () => {
    const { wrapper, asked } = await mountAt('/?period=custom&from=2026-03-01&to=2026-03-07&compare=off', () => 10);
    const before = asked();
    vi.advanceTimersByTime(5 * LIVE_REFRESH_MS);
    await flushPromises();
    expect(asked()).toBe(before);
    wrapper.unmount();
  });
});

describe('the hint of a site without visits', () => {
  it('when the first visit arrives while the dashboard is open, then the hint goes with the next refresh', async () => {
    let visitors = 0;
    const { wrapper } = await mountOnDashboard(NoDataHint, '/?period=today&compare=off', () => visitors, {
      ...site,
      created_at: '2026-03-10T09:00:00Z',
    });
    expect(wrapper.find('[data-testid="no-data-hint"]').exists()).toBe(true);

    vi.advanceTimersByTime(LIVE_REFRESH_MS);
    await flushPromises();
    expect(wrapper.find('[data-testid="no-data-hint"]').exists()).toBe(true);

    visitors = 1;
    vi.advanceTimersByTime(LIVE_REFRESH_MS);
    await flushPromises();
    expect(wrapper.find('[data-testid="no-data-hint"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
