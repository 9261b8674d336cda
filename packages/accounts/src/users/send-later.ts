import type { AccountsContext } from '../context.ts';

/**
 * Mail work the caller's answer must not wait for. Where the answer may not reveal whether an
 * address is registered (sign-up, password reset, resending the verification, changing the
 * email), awaiting a token write and an SES round trip only for known addresses let anyone time
 * the difference: tens of milliseconds against nothing. So the known path schedules the work and
 * returns like the unknown one. A failure is logged; the user can simply ask again.
 */
export function sendLater(ctx: Pick<AccountsContext, 'log'>, what: string, work: () => Promise<unknown>): void {
  // setImmediate, not a bare call: not even the synchronous start of the work runs before we answer.
  setImmediate(() => {
    work().catch((err: unknown) => ctx.log.error({ err, what }, 'email sent after the answer failed'));
  });
}
