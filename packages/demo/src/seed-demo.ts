import type { Config } from '@spur/config';
import {
  createAccountsContext,
  createGoal,
  createRollup,
  createSite,
  deleteSiteStatistics,
  findUserByEmail,
  hashPassword,
  insertOrganization,
  withTransaction,
} from '@spur/accounts';
import { createLogMailer } from '@spur/email';
import type { Logger } from '@spur/runtime';
import type { Stores } from '@spur/storage';
import { REVENUE_GOAL, seedDemoSetup } from './demo-setup.ts';
import { DEMO_SITES } from './traffic/demo-profiles.ts';
import { seedDemoTraffic, type SeedResult } from './traffic/demo-traffic.ts';

/** A development login, printed by `npm run dev`; never created in production. */
export const DEMO_LOGIN = { email: 'demo@spur.localhost', password: 'spur-demo-password' } as const;

export type DemoSeed = {
  login: typeof DEMO_LOGIN;
  organizationId: string;
  sites: { id: string; hostname: string; identificationCode: string; traffic?: SeedResult }[];
  /** The rollup view over the demo's sites (it receives no traffic of its own). */
  rollup: { id: string; name: string };
};

const DEMO_ROLLUP = 'All Acme sites';

/**
 * The demo account (owner of an organization with two sites, the first public at the `demo`
 * subdomain, and a rollup view of both) and 90 days of traffic for each site. Idempotent: an existing account is reused and a
 * site's traffic is generated once; a run that was interrupted mid-way is redone for that site.
 */
export async function seedDemo(deps: {
  config: Pick<Config, 'NODE_ENV' | 'AUTH_SECRET' | 'SESSION_MAX_AGE_DAYS' | 'dashboardUrl' | 'backendUrl'>;
  stores: Stores;
  log: Logger;
  signal?: AbortSignal;
  /** 90 for the real demo; tests use fewer. */
  days?: number;
}): Promise<DemoSeed> {
  if (deps.config.NODE_ENV === 'production') throw new Error('the demo account is for development only');
  const db = deps.stores.postgres.pool;
  // Sites are created by the operator path (no membership check); nothing here sends mail.
  const ctx = createAccountsContext({
    config: deps.config,
    db,
    redis: deps.stores.redis,
    clickhouse: deps.stores.clickhouse,
    mailer: createLogMailer(deps.log),
    log: deps.log,
  });

  const user = await findUserByEmail(db, DEMO_LOGIN.email);
  let organizationId: string;
  let userId = user?.id;
  if (!user) {
    const passwordHash = await hashPassword(DEMO_LOGIN.password);
    organizationId = await withTransaction(db, async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        'INSERT INTO app_user (email, password_hash, terms_accepted_at, email_verified_at) VALUES ($1, $2, now(), now()) RETURNING id',
        [DEMO_LOGIN.email, passwordHash],
      );
      userId = rows[0]!.id;
      return insertOrganization(tx, rows[0]!.id, 'Acme (demo)');
    });
  } else {
    const { rows } = await db.query<{ organization_id: string }>(
      "SELECT organization_id::text FROM organization_member WHERE user_id = $1 AND role = 'owner' ORDER BY organization_id LIMIT 1",
      [user.id],
    );
    organizationId = rows[0]!.organization_id;
  }

  const sites: DemoSeed['sites'] = [];
  for (const [index, profile] of DEMO_SITES.entries()) {
    const found = await db.query<{ id: string; identification_code: string }>(
      'SELECT id::text, identification_code FROM site WHERE organization_id = $1 AND hostname = $2',
      [organizationId, profile.hostname],
    );
    const existing = found.rows[0];
    const site =
      existing ??
      (await createSite(ctx, null, organizationId, {
        hostname: profile.hostname,
        name: profile.name,
        timezone: 'Europe/Berlin',
      }));
    if (index === 0) {
      await db.query("UPDATE site SET public = true, subdomain = 'demo' WHERE id = $1 AND subdomain IS NULL", [
        site.id,
      ]);
      // Goals, a funnel and chart notes, so every panel of the demo has something to show.
      if (await seedDemoSetup(ctx, userId!, site.id, new Date()))
        deps.log.info({ site: profile.hostname }, 'demo goals, funnel and annotations created');
    }
    const entry: DemoSeed['sites'][number] = {
      id: site.id,
      hostname: profile.hostname,
      identificationCode: site.identification_code,
    };
    const marker = `spur:demo:seeded:${site.id}`;
    // Written only once every hit of the site is in Redis (the stream is as durable as the marker).
    if (!(await deps.stores.redis.get(marker))) {
      // An interrupted earlier run may have left part of the traffic, in ClickHouse, in the
      // stream and as live sessions in Redis: all of it goes, or the new run's hits would continue
      // the old run's sessions and cancel rows that were deleted (negative counts, issue 13).
      if (existing) {
        await deleteSiteStatistics(ctx, site.id);
        deps.log.info({ site: profile.hostname }, 'demo traffic of an interrupted run deleted; generating it again');
      }
      const hostnames = [profile.hostname];
      entry.traffic = await seedDemoTraffic({
        redis: deps.stores.redis,
        site: {
          id: site.id,
          organizationId,
          hostname: profile.hostname,
          hostnames,
          filters: { ips: [], paths: [], countries: [] },
        },
        profile,
        days: deps.days ?? 90,
        seed: 1_000 + index,
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
      await deps.stores.redis.set(marker, new Date().toISOString());
      deps.log.info({ site: profile.hostname, ...entry.traffic }, 'demo traffic generated');
    }
    sites.push(entry);
  }
  // Created once, after the sites: a rollup the customer renamed or changed is kept as it is.
  const found = await db.query<{ id: string; name: string }>(
    "SELECT id::text, name FROM site WHERE organization_id = $1 AND kind = 'rollup' ORDER BY id LIMIT 1",
    [organizationId],
  );
  const rollup =
    found.rows[0] ??
    (await createRollup(ctx, userId!, organizationId, {
      name: DEMO_ROLLUP,
      timezone: 'Europe/Berlin',
      site_ids: sites.map((s) => s.id),
    }));
  if (!found.rows[0]) {
    // Its own revenue goal, so "Event is Purchase" shows the revenue of both sites together.
    await createGoal(ctx, userId!, rollup.id, REVENUE_GOAL);
    deps.log.info({ rollup: rollup.id }, 'demo rollup view of both sites created');
  }
  return { login: DEMO_LOGIN, organizationId, sites, rollup: { id: rollup.id, name: rollup.name } };
}
