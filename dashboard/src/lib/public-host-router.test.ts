import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';

/** The app's real router on a page the dashboard server marked as a public dashboard's host. */
describe('router on <subdomain>.<domain>', () => {
  afterEach(() => document.head.querySelector('meta[name="spur-public-subdomain"]')?.remove());

  it('when the page names a public subdomain, then every path shows that public dashboard', async () => {
    const meta = document.createElement('meta');
    meta.name = 'spur-public-subdomain';
    meta.content = 'acme';
    document.head.append(meta);
    setActivePinia(createPinia());
    const { router } = await import('../router.ts');
    for (const path of ['/', '/sites/1', '/login?next=/x']) {
      await router.push(path);
      expect([router.currentRoute.value.name, router.currentRoute.value.params.subdomain], path).toEqual([
        'public',
        'acme',
      ]);
    }
    expect(router.currentRoute.value.fullPath).toBe('/public/acme?next=/x');
  });
});
