import { Router, type Response } from 'express';
import { z } from 'zod';
import {
  authenticateSession,
  completeSecondFactor,
  endSession,
  listOrganizations,
  login,
  requestPasswordReset,
  resendVerification,
  resetPassword,
  signUp,
  verifyEmail,
  findUserById,
  toPublicUser,
  type AccountsContext,
  type LoginResult,
} from '@spur/accounts';
import { requestMeta } from '../auth/request-meta.ts';
import { clearSessionCookie, setDeviceCookie, setSessionCookie, type CookieSettings } from '../auth/session-cookie.ts';

const tokenBody = z.object({ token: z.string().min(1).max(200) });
const emailBody = z.object({ email: z.string().max(254) });

/** Sign up, verify, log in (with the optional second step), log out, reset a forgotten password. */
export function authRouter(accounts: AccountsContext, cookies: CookieSettings, websiteUrl?: string) {
  const router = Router();
  // Login, 2FA and session answers hold the CSRF token (and who is signed in): no cache may keep one.
  router.use('/api/v1/auth', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Same answer whatever happened, so the response cannot tell who has an account.
  const accepted = (res: Response) =>
    res.status(202).json({ status: 'ok', message: 'If the address can receive it, an email is on its way.' });

  const answerLogin = (res: Response, result: LoginResult) => {
    if (result.status === 'two_factor_required') {
      res.json({ two_factor_required: true, challenge: result.challenge });
      return;
    }
    setSessionCookie(res, result.session.token, cookies);
    setDeviceCookie(res, result.deviceToken, cookies);
    res.json({
      user: result.user,
      csrf_token: result.session.csrfToken,
      expires_at: result.session.expiresAt.toISOString(),
    });
  };

  router.post('/api/v1/auth/signup', async (req, res) => {
    await signUp(accounts, req.body, requestMeta(req));
    accepted(res);
  });
  router.post('/api/v1/auth/verify', async (req, res) => {
    await verifyEmail(accounts, tokenBody.parse(req.body).token);
    res.json({ status: 'verified' });
  });
  router.post('/api/v1/auth/verify/resend', async (req, res) => {
    await resendVerification(accounts, emailBody.parse(req.body).email, requestMeta(req));
    accepted(res);
  });
  router.post('/api/v1/auth/login', async (req, res) => {
    answerLogin(res, await login(accounts, req.body, requestMeta(req)));
  });
  router.post('/api/v1/auth/login/2fa', async (req, res) => {
    answerLogin(res, await completeSecondFactor(accounts, req.body, requestMeta(req)));
  });
  router.post('/api/v1/auth/logout', async (req, res) => {
    if (req.sessionToken) await endSession(accounts, req.sessionToken);
    clearSessionCookie(res, cookies);
    res.status(204).end();
  });
  router.get('/api/v1/auth/session', async (req, res) => {
    const session =
      req.session ?? (req.sessionToken ? await authenticateSession(accounts, req.sessionToken) : undefined);
    const user = session && (await findUserById(accounts.db, session.userId));
    // Asking "who am I?" signed out is not an error: every anonymous page asks, and a 401 would
    // sit in the browser console of every visitor of the login page.
    // The website's address travels along: the sign-up form links its terms and privacy policy.
    const website = websiteUrl ? { website_url: websiteUrl } : {};
    if (!session || !user) return void res.json({ user: null, ...website });
    res.json({
      ...website,
      user: toPublicUser(user),
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt.toISOString(),
      organizations: await listOrganizations(accounts, user.id),
    });
  });
  router.post('/api/v1/auth/password/forgot', async (req, res) => {
    await requestPasswordReset(accounts, emailBody.parse(req.body).email, requestMeta(req));
    accepted(res);
  });
  router.post('/api/v1/auth/password/reset', async (req, res) => {
    await resetPassword(accounts, req.body);
    res.json({ status: 'password_changed' });
  });
  return router;
}
