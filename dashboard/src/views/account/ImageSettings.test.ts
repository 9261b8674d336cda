import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useSessionStore } from '../../stores/session.store.ts';
import ImageSettings from './ImageSettings.vue';

afterEach(() => vi.unstubAllGlobals());

describe('avatar and logo settings', () => {
  it('when the user has an avatar and administers an organization, then both pictures are shown from the API', async () => {
    const asked: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string | URL | Request) => {
        const url = String(input);
        asked.push(url);
        const body = url.endsWith('/avatar') ? { url: `/api/v1/images/${'a'.repeat(64)}.png` } : { url: null };
        return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
      }),
    );
    const pinia = createPinia();
    setActivePinia(pinia);
    const session = useSessionStore();
    session.organizations = [
      { id: '1', name: 'Acme', role: 'owner', personal: false },
      { id: '2', name: 'Other', role: 'viewer', personal: false },
    ] as never;
    const wrapper = mount(ImageSettings, { global: { plugins: [pinia] } });
    await flushPromises();
    expect(asked.sort()).toEqual(['/api/v1/account/avatar', '/api/v1/organizations/1/logo']);
    expect(wrapper.find('img[alt="Your avatar"]').attributes('src')).toBe(`/api/v1/images/${'a'.repeat(64)}.png`);
    expect(wrapper.findAll('label').map((l) => l.text())).toEqual(['Upload avatar', 'Upload logo of Acme']);
  });
});
