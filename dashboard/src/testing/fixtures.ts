/**
 * What the dashboard's component tests share: the API's JSON answer as `fetch` returns it, and a
 * site and an organization as the API describes them. Only tests import this.
 */
export const jsonResponse = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A site as `GET /sites/:id` describes it; `overrides` set any field (a rollup: kind, member_ids). */
export const siteFixture = (overrides: Record<string, unknown> = {}) => ({
  id: '7',
  organization_id: '1',
  hostname: 'example.com',
  name: 'Example',
  identification_code: 'x'.repeat(32),
  timezone: 'UTC',
  public: false,
  subdomain: null,
  hostnames: [] as string[],
  created_at: '2026-01-01T00:00:00Z',
  ...overrides,
});

/** The signed-in user's personal organization, which they own. */
export const PERSONAL_ORGANIZATION = {
  id: '1',
  name: 'Personal',
  personal: true,
  role: 'owner',
  created_at: '2026-01-01T00:00:00Z',
} as const;
