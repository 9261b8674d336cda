import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { useSessionStore } from '../stores/session.store.ts';
import NewRollupView from './NewRollupView.vue';
import { jsonResponse as json, siteFixture, PERSONAL_ORGANIZATION } from '../testing/fixtures.ts';

const site = (id: string, hostname: string, extra: object = {}) =>
  siteFixture({ id, hostname, name: hostname, ...extra });
const SITES = [
  site('7', 'shop.example'),
  site('8', 'blog.example'),
  site('9', 'rollup-x.invalid', { kind: 'rollup', name: 'All', member_ids: ['7', '8'] }),
];

async function mountView(answer: (method: string, url: string, body: unknown) => Response) {
  const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) =>
    answer(init?.method ?? 'GET', String(input), init?.body ? JSON.parse(String(init.body)) : undefined),
  );
  vi.stubGlobal('fetch', fetch);
  setActivePinia(createPinia());
  useSessionStore().organizations = [PERSONAL_ORGANIZATION];
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'sites', component: { template: '<div />' } },
      { path: '/sites/:siteId', name: 'site', component: { template: '<div />' } },
    ],
  });
  const wrapper = mount(NewRollupView, { global: { plugins: [router] } });
  await flushPromises();
  return { wrapper, fetch, router };
}

afterEach(() => vi.unstubAllGlobals());

describe('NewRollupView', () => {
  it('when sites are chosen and named, then the rollup is created with them and opens', async () => {
    const { wrapper, fetch, router } = await mountView((method) =>
      method === 'POST' ? json(site('10', 'rollup-y.invalid', { kind: 'rollup', name: 'Shops' }), 201) : json(SITES),
    );
    // Only sites can be members: the rollup is not offered.
    expect(wrapper.findAll('input[type="checkbox"]').map((c) => c.attributes('value'))).toEqual(['7', '8']);
    expect(wrapper.get('button[type="submit"]').attributes('disabled')).toBeDefined();
    await wrapper.get('#rollup-name').setValue('Shops');
    await wrapper.get('#rollup-site-8').setValue(true);
    await wrapper.get('#rollup-timezone').setValue('UTC');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect([String(post[0]), JSON.parse(String(post[1]!.body))]).toEqual([
      '/api/v1/organizations/1/rollups',
      { name: 'Shops', timezone: 'UTC', site_ids: ['8'] },
    ]);
    expect(router.currentRoute.value.fullPath).toBe('/sites/10');
  });

  it('when the API refuses the sites, then its message shows under them', async () => {
    const { wrapper } = await mountView((method) =>
      method === 'POST'
        ? json({ error: 'a rollup view cannot include another (9)', field: 'site_ids' }, 400)
        : json(SITES),
    );
    await wrapper.get('#rollup-name').setValue('Shops');
    await wrapper.get('#rollup-site-7').setValue(true);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('.picker .field-error').text()).toBe('A rollup view cannot include another (9).');
  });
});
