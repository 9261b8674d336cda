import { Router } from 'express';
import { z } from 'zod';
import {
  changePassword,
  confirmEmailChange,
  deleteAccount,
  disableTwoFactor,
  enableTwoFactor,
  findUserById,
  listAuditLog,
  listSessions,
  regenerateRecoveryCodes,
  requestEmailChange,
  revokeOtherSessions,
  revokeSession,
  startTwoFactorSetup,
  toPublicUser,
  isId,
  type AccountsContext,
} from '@spur/accounts';
import { HttpError } from '../http/errors.ts';
import { requireUser } from '../auth/caller.middleware.ts';
import { clearSessionCookie, type CookieSettings } from '../auth/session-cookie.ts';

const codeBody = z.object({ code: z.string().max(20) });
const tokenBody = z.object({ token: z.string().min(1).max(200) });
const disableBody = z.object({
  password: z.string().max(1024),
  code: z.string().max(20).optional(),
  recovery_code: z.string().max(40).optional(),
});

/** The signed-in user's own account: profile, password, email, sessions, 2FA, deletion. */
export function accountRouter(accounts: AccountsContext, cookies: CookieSettings) {
  const router = Router();

  router.get('/api/v1/account', async (req, res) => {
    const user = await findUserById(accounts.db, requireUser(req).userId);
    if (!user) throw new HttpError(401, 'sign in first');
    res.json(toPublicUser(user));
  });
  router.put('/api/v1/account/password', async (req, res) => {
    const { userId, sessionId } = requireUser(req);
    await changePassword(accounts, userId, sessionId, req.body);
    res.json({ status: 'password_changed' });
  });
  router.post('/api/v1/account/email', async (req, res) => {
    await requestEmailChange(accounts, requireUser(req).userId, req.body);
    res
      .status(202)
      .json({ status: 'ok', message: 'If the address can receive it, a confirmation link is on its way.' });
  });
  // The link in the email may be opened signed out, so this one needs only the token.
  router.post('/api/v1/account/email/confirm', async (req, res) => {
    res.json(await confirmEmailChange(accounts, tokenBody.parse(req.body).token));
  });

  router.get('/api/v1/account/sessions', async (req, res) => {
    const { userId, sessionId } = requireUser(req);
    res.json(await listSessions(accounts, userId, sessionId));
  });
  router.delete('/api/v1/account/sessions/:id', async (req, res) => {
    await revokeSession(accounts, requireUser(req).userId, req.params.id);
    res.status(204).end();
  });
  router.delete('/api/v1/account/sessions', async (req, res) => {
    const { userId, sessionId } = requireUser(req);
    res.json({ revoked: await revokeOtherSessions(accounts.db, userId, sessionId) });
  });

  router.post('/api/v1/account/2fa/setup', async (req, res) => {
    res.json(await startTwoFactorSetup(accounts, requireUser(req).userId));
  });
  router.post('/api/v1/account/2fa/enable', async (req, res) => {
    res.json(await enableTwoFactor(accounts, requireUser(req).userId, codeBody.parse(req.body).code));
  });
  router.post('/api/v1/account/2fa/disable', async (req, res) => {
    await disableTwoFactor(accounts, requireUser(req).userId, disableBody.parse(req.body));
    res.status(204).end();
  });
  router.post('/api/v1/account/2fa/recovery-codes', async (req, res) => {
    res.json(await regenerateRecoveryCodes(accounts, requireUser(req).userId, codeBody.parse(req.body).code));
  });

  router.get('/api/v1/account/audit-log', async (req, res) => {
    res.json(
      await listAuditLog(accounts.db, { userId: requireUser(req).userId, before: pageCursor(req.query.before) }),
    );
  });

  router.post('/api/v1/account/delete', async (req, res) => {
    const result = await deleteAccount(accounts, requireUser(req).userId, req.body);
    clearSessionCookie(res, cookies);
    res.json(result);
  });
  return router;
}

/** A malformed cursor reads as "first page" rather than reaching Postgres as an out-of-range bigint. */
export function pageCursor(value: unknown): string | undefined {
  return isId(value) ? value : undefined;
}
