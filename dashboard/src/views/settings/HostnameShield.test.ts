import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import HostnameShield from './HostnameShield.vue';
import { jsonResponse as json, siteFixture } from '../../testing/fixtures.ts';

const site = siteFixture();

afterEach(() => vi.unstubAllGlobals());

async function mountShield(canEdit: boolean) {
  const sent: { method: string; url: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      sent.push({ method: init?.method ?? 'GET', url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      if (url.endsWith('/dropped-requests'))
        return json({
          days: 30,
          reasons: [
            { reason: 'hostname_not_allowed', count: 1234 },
            { reason: 'filtered_ip', count: 5 },
            { reason: 'bot_user_agent', count: 2 },
          ],
        });
      if (init?.method === 'PUT')
        return json({ hostnames: ['*.example.com'], effective: ['*.example.com'], default: false });
      return json({ hostnames: [], effective: ['example.com', '*.example.com'], default: true });
    }),
  );
  const wrapper = mount(HostnameShield, { props: { site, canEdit } });
  await flushPromises();
  return { wrapper, sent };
}

describe('hostname shield in the filter settings', () => {
  it('when requests were dropped, then the count of each reason is shown under a readable name', async () => {
    const { wrapper } = await mountShield(false);
    const rows = wrapper
      .findAll('[data-testid="dropped-requests"] tr')
      .map((tr) => tr.findAll('td').map((td) => td.text()));
    expect(rows).toEqual([
      ['Hostname not allowed', '1,234'],
      ['IP filter', '5'],
      ['Bot or automated (bot user agent)', '2'],
    ]);
    expect(wrapper.findAll('[data-testid="effective-hostnames"] li').map((li) => li.text())).toEqual([
      'example.com',
      '*.example.com',
    ]);
    expect(wrapper.find('textarea').exists()).toBe(false);
  });

  it('when an admin saves a list, then it is sent one entry per line and the allowed list follows the answer', async () => {
    const { wrapper, sent } = await mountShield(true);
    await wrapper.get('textarea').setValue('*.example.com\n\n');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(sent.filter((r) => r.method === 'PUT')).toEqual([
      { method: 'PUT', url: '/api/v1/sites/7/allowed-hostnames', body: { hostnames: ['*.example.com'] } },
    ]);
    expect(wrapper.findAll('[data-testid="effective-hostnames"] li').map((li) => li.text())).toEqual(['*.example.com']);
  });
});
