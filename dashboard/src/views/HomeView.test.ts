import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import HomeView from './HomeView.vue';

afterEach(() => vi.unstubAllGlobals());

describe('HomeView', () => {
  it('when the API answers 503, then the status code is shown as an alert', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 503 })));
    const wrapper = mount(HomeView);
    expect(wrapper.text()).toContain('Connecting to the API…');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe('The API answered 503.');
  });

  it('when the API is up, then it says so', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"status":"ok"}', { status: 200 })));
    const wrapper = mount(HomeView);
    await flushPromises();
    expect(wrapper.get('[data-testid="api-status"]').text()).toBe('The API is ready.');
  });
});
