import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { statisticsLock } from '../api/http.ts';
import { useSessionStore } from '../stores/session.store.ts';
import SiteDashboardView from './SiteDashboardView.vue';
import { jsonResponse as json, PERSONAL_ORGANIZATION } from '../testing/fixtures.ts';

const rollup = {
  id: '9',
  organization_id: '1',
  hostname: 'rollup-9.invalid',
  name: 'All sites',
  identification_code: '',
  timezone: 'UTC',
  public: false,
  subdomain: null,
  hostnames: [],
  created_at: '2026-01-01T00:00:00Z',
  kind: 'rollup',
  member_ids: ['7', '8'],
};

/**
 * The view over a rollup, its dashboard stubbed: the 402 that locks it is set as http.ts sets it
 * from the API's refusal (api/http.test.ts), and the lock screen is read back.
 */
async function lockedWith(lock: NonNullable<typeof statisticsLock.value>) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string | URL | Request) => json(String(input).startsWith('/api/v1/sites/9') ? rollup : [])),
  );
  setActivePinia(createPinia());
  useSessionStore().organizations = [PERSONAL_ORGANIZATION];
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/sites/:siteId', component: SiteDashboardView }],
  });
  await router.push('/sites/9');
  const wrapper = mount(
    { template: '<RouterView />' },
    { global: { plugins: [router], stubs: { SiteDashboard: true } } },
  );
  await flushPromises();
  statisticsLock.value = lock;
  await nextTick();
  const screen = wrapper.get('[data-testid="statistics-locked"]');
  return [screen.get('h1').text(), screen.get('[role="alert"]').text(), screen.get('a').attributes('href')];
}

afterEach(() => {
  statisticsLock.value = null;
  vi.unstubAllGlobals();
});

describe('the lock screen', () => {
  it('when a rollup view is read on a plan without rollups, then it names the plan that has them', async () => {
    expect(
      await lockedWith({
        message: 'Not included in the Starter plan: Rollup views across several sites.',
        reason: 'feature',
        feature: 'rollups',
      }),
    ).toEqual([
      'Rollup views are part of the Business plan',
      'Not included in the Starter plan: Rollup views across several sites.',
      '/organizations/1/billing',
    ]);
  });

  it('when the subscription ended, then the statistics are locked, as before', async () => {
    expect(
      await lockedWith({
        message: 'Your subscription has ended: upgrade to see your statistics.',
        reason: 'subscription_ended',
      }),
    ).toEqual([
      'All sites: statistics are locked',
      'Your subscription has ended: upgrade to see your statistics.',
      '/organizations/1/billing',
    ]);
  });
});
