import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import SharedLogo from './SharedLogo.vue';

describe('SharedLogo', () => {
  it("shows the owner's logo with an alternative text naming the site", () => {
    const logo = mount(SharedLogo, { props: { url: '/api/v1/images/4/logo.png', siteName: 'Example' } });
    const img = logo.get('[data-testid="shared-logo"]');
    expect([img.attributes('src'), img.attributes('alt')]).toEqual([
      '/api/v1/images/4/logo.png',
      'Example: logo of its owner',
    ]);
  });
});
