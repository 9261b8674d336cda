import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import AlertSettings from './AlertSettings.vue';
import { jsonResponse as json, siteFixture } from '../../testing/fixtures.ts';

const site = siteFixture();
const spike = {
  id: '3',
  kind: 'spike',
  threshold: 50,
  window_hours: 1,
  emails: ['owner@example.com'],
  webhook_url: 'https://hooks.example.com/x',
  webhook_format: 'slack',
  webhook_secret: 's'.repeat(32),
  enabled: true,
  state: 'firing',
  last_notice_at: null,
  last_value: 61,
};

afterEach(() => vi.unstubAllGlobals());

async function mountAlerts(canEdit: boolean) {
  const sent: { method: string; url: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      sent.push({ method: init?.method ?? 'GET', url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      if (init?.method === 'POST') return json({ ...spike, id: '4', kind: 'drop', threshold: 1, window_hours: 6 }, 201);
      return json([spike]);
    }),
  );
  const wrapper = mount(AlertSettings, { props: { site, canEdit }, global: { plugins: [createPinia()] } });
  await flushPromises();
  return { wrapper, sent };
}

describe('traffic alert settings', () => {
  it('when a site has a spike alert, then its rule, targets and state are listed', async () => {
    const { wrapper } = await mountAlerts(false);
    const cells = wrapper.findAll('tbody tr td').map((td) => td.text());
    expect(cells.slice(0, 3)).toEqual([
      'Spike: 50+ visitors in 10 minutes',
      'owner@example.com, webhook (slack)',
      'firing',
    ]);
    expect(wrapper.find('form').exists()).toBe(false); // viewers read only
  });

  it('when an admin adds a drop alert, then the API gets exactly the rule typed in', async () => {
    const { wrapper, sent } = await mountAlerts(true);
    await wrapper.find('#al-kind').setValue('drop');
    await wrapper.find('#al-threshold').setValue('1');
    await wrapper.find('#al-window').setValue('6');
    await wrapper.find('#al-email').setValue('');
    await wrapper.find('#al-webhook').setValue('https://hooks.example.com/y');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(sent.find((r) => r.method === 'POST')).toEqual({
      method: 'POST',
      url: '/api/v1/sites/7/alerts',
      body: {
        kind: 'drop',
        threshold: 1,
        window_hours: 6,
        emails: [],
        webhook_url: 'https://hooks.example.com/y',
        webhook_format: 'json',
      },
    });
    expect(sent.filter((r) => r.method === 'GET').length).toBe(2); // the list is reloaded
  });
});
