import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import SiteSetupView from './SiteSetupView.vue';
import { jsonResponse as json, siteFixture } from '../testing/fixtures.ts';

const site = siteFixture();
const rollup = { ...site, id: '9', hostname: 'rollup-9.invalid', kind: 'rollup', member_ids: ['7', '8'] };
const SNIPPET = '<script defer src="/spur.js" data-code="xxx"></script>';

/** The setup page of `/sites/<id>/setup`, the API answering for the site and the rollup. */
async function open(id: string) {
  const fetch = vi.fn(async (input: string | URL | Request) => {
    const path = new URL(String(input), 'http://x').pathname;
    if (path === '/api/v1/sites/7') return json(site);
    if (path === '/api/v1/sites/9') return json(rollup);
    if (path === '/api/v1/sites/7/snippet') return json({ snippet: SNIPPET });
    if (path === '/api/v1/statistics/total') return json({ visitors: 0 });
    return new Response(JSON.stringify({ error: ['no snippet'] }), { status: 400 });
  });
  vi.stubGlobal('fetch', fetch);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/sites/:siteId/setup', name: 'site-setup', component: SiteSetupView },
      { path: '/sites/:siteId', name: 'site', component: { template: '<div data-testid="dashboard" />' } },
      { path: '/sites/:siteId/settings', name: 'site-settings', component: { template: '<div />' } },
    ],
  });
  await router.push(`/sites/${id}/setup`);
  const wrapper = mount({ template: '<RouterView />' }, { global: { plugins: [router] } });
  await flushPromises();
  const asked = fetch.mock.calls.map(([u]) => new URL(String(u), 'http://x').pathname);
  return { wrapper, router, asked };
}

afterEach(() => vi.unstubAllGlobals());

describe('the setup page', () => {
  it('when it is a rollup view’s, then it opens the rollup’s dashboard without asking for a snippet it has not', async () => {
    const { wrapper, router, asked } = await open('9');
    expect(router.currentRoute.value.fullPath).toBe('/sites/9');
    expect(wrapper.find('[data-testid="dashboard"]').exists()).toBe(true);
    expect(asked).toEqual(['/api/v1/sites/9']);
  });

  it('when it is a site’s, then it shows the snippet and waits for the first visit', async () => {
    const { wrapper, router } = await open('7');
    expect(router.currentRoute.value.fullPath).toBe('/sites/7/setup');
    expect(wrapper.get('[data-testid="snippet"]').text()).toBe(SNIPPET);
    expect(wrapper.find('[data-testid="waiting"]').exists()).toBe(true);
    wrapper.unmount();
  });
});
