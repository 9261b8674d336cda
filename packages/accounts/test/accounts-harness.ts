import { createMailer, type Mailer } from '@spur/email';
import { startLocalSes, startTestStores, type LocalSes, type TestStores } from '@spur/testkit';
import { createAccountsContext, type AccountsContext } from '../src/index.ts';

/** Real Postgres, Redis, chdb and the local SES server, with an accounts context over them. */
export type AccountsHarness = {
  t: TestStores;
  ses: LocalSes;
  mailer: Mailer;
  ctx: AccountsContext;
  close: () => Promise<void>;
};

export async function startAccountsHarness(options: { now?: () => Date } = {}): Promise<AccountsHarness> {
  const ses = await startLocalSes();
  const t = await startTestStores({
    env: { SES_ENDPOINT: ses.endpoint, DASHBOARD_PUBLIC_URL: 'http://app.spur.test' },
  });
  const mailer = createMailer(t.config, t.log);
  const ctx = createAccountsContext({
    config: t.config,
    db: t.stores.postgres.pool,
    redis: t.stores.redis,
    mailer,
    log: t.log,
    clickhouse: t.stores.clickhouse,
    now: options.now,
  });
  return {
    t,
    ses,
    mailer,
    ctx,
    close: async () => {
      mailer.close();
      await t.close();
      await ses.stop();
    },
  };
}
