import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { useSessionStore } from '../stores/session.store.ts';
import SitesView from './SitesView.vue';
import { jsonResponse as json, siteFixture, PERSONAL_ORGANIZATION } from '../testing/fixtures.ts';

const site = siteFixture();

async function mountView(routes: (url: string) => Response) {
  const fetch = vi.fn(async (input: string | URL | Request) => routes(String(input)));
  vi.stubGlobal('fetch', fetch);
  setActivePinia(createPinia());
  const session = useSessionStore();
  session.organizations = [PERSONAL_ORGANIZATION];
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/:p(.*)*', name: 'any', component: { template: '<div />' } },
      { path: '/sites/new', name: 'site-new', component: { template: '<div />' } },
      { path: '/rollups/new', name: 'rollup-new', component: { template: '<div />' } },
      { path: '/sites/:siteId', name: 'site', component: { template: '<div />' } },
      { path: '/organizations/:orgId/billing', name: 'billing', component: { template: '<div />' } },
    ],
  });
  const wrapper = mount(SitesView, { global: { plugins: [router] } });
  await flushPromises();
  return { wrapper, fetch };
}

beforeEach(() => localStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe('SitesView', () => {
  it('when the API answers 503, then the failure is shown in words as an alert', async () => {
    const { wrapper } = await mountView(() => json({ error: 'internal error' }, 503));
    expect(wrapper.get('[role="alert"]').text()).toBe('The server had a problem (503). Try again in a moment.');
  });

  it('when the organization has no site, then an empty state invites to add one', async () => {
    const { wrapper } = await mountView(() => json([]));
    expect(wrapper.get('[data-testid="no-sites"]').text()).toContain('No sites yet');
    expect(wrapper.find('a[href="/sites/new"]').exists()).toBe(true);
  });

  it('when sites exist, then each shows visitors today (the last day of its 30-day series) from the statistics API', async () => {
    const series = Array.from({ length: 30 }, (_, i) => ({
      day: `2026-03-${String(i + 1).padStart(2, '0')}`,
      visitors: i === 29 ? 12 : 1,
      views: 0,
      sessions: 0,
      bounces: 0,
      bounce_rate: 0,
    }));
    const { wrapper, fetch } = await mountView((url) =>
      url.startsWith('/api/v1/statistics/visitor') ? json(series) : json([site]),
    );
    expect(wrapper.get('[data-testid="site-example.com"]').text()).toContain('Example');
    expect(wrapper.get('[data-testid="visitors-today"]').text()).toBe('12');
    const statsUrl = new URL(String(fetch.mock.calls.find(([u]) => String(u).includes('statistics'))![0]), 'http://x');
    expect(Object.fromEntries(statsUrl.searchParams)).toMatchObject({ id: '7', tz: 'UTC', scale: 'day' });
    expect(wrapper.get('svg[role="img"]').attributes('aria-label')).toBe('Visitors over the last 30 days: 41 in total');
  });

  it('when the statistics of one site fail, then that card says why and the list still shows', async () => {
    const { wrapper } = await mountView((url) =>
      url.startsWith('/api/v1/statistics/') ? json({ error: ['site not found'] }, 404) : json([site]),
    );
    expect(wrapper.get('[data-testid="site-example.com"] [role="alert"]').text()).toBe('Site not found.');
  });

  it('when sites exist, then admins are offered a rollup view, and a rollup card names its number of sites', async () => {
    const rollup = {
      ...site,
      id: '9',
      hostname: 'rollup-x.invalid',
      name: 'All',
      kind: 'rollup',
      member_ids: ['7', '8'],
    };
    const { wrapper } = await mountView((url) =>
      url.startsWith('/api/v1/statistics/') ? json([]) : json([site, rollup]),
    );
    expect(wrapper.get('a[href="/rollups/new"]').text()).toBe('New rollup view');
    expect(wrapper.get('[data-testid="site-rollup-x.invalid"]').text()).toContain('Rollup view of 2 sites');
  });

  describe('the rollup view button, by the organization’s plan', () => {
    /** The billing state of an organization on the trial of `plan`, as GET .../billing answers it. */
    const billing = (plan: 'starter' | 'business', features: string[]) => ({
      enabled: true,
      organizationId: '1',
      source: 'trial',
      plan,
      planName: plan === 'starter' ? 'Starter' : 'Business',
      tier: 10_000,
      interval: null,
      status: 'trialing',
      trialEnd: '2026-04-01T00:00:00Z',
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      grantUntil: null,
      locked: null,
      ingestStopAt: null,
      hasCustomer: false,
      cycle: { start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z' },
      usage: { total: 0, quota: 10_000, percent: 0, days: [] },
      limits: { maxSites: 10, maxMembers: 3, features },
      banners: [],
    });
    const withBilling = (state: unknown) =>
      mountView((url) =>
        url === '/api/v1/organizations/1/billing'
          ? json(state)
          : url.startsWith('/api/v1/statistics/')
            ? json([])
            : json([site]),
      );

    it('when billing is on and the plan lacks rollups, then an upgrade hint leads to billing instead of the form', async () => {
      const { wrapper } = await withBilling(billing('starter', ['dashboard', 'funnels']));
      expect(wrapper.find('a[href="/rollups/new"]').exists()).toBe(false);
      const hint = wrapper.get('[data-testid="rollup-upgrade"]');
      expect([hint.text(), hint.attributes('href')]).toEqual([
        'Rollup views: Business plan',
        '/organizations/1/billing',
      ]);
    });

    it('when the plan has rollups, or billing is off (self-hosted), then New rollup view is offered', async () => {
      for (const state of [billing('business', ['dashboard', 'rollups']), { enabled: false }]) {
        const { wrapper } = await withBilling(state);
        expect(wrapper.get('a[href="/rollups/new"]').text()).toBe('New rollup view');
        expect(wrapper.find('[data-testid="rollup-upgrade"]').exists()).toBe(false);
      }
    });
  });
});
