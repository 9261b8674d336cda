import { z } from 'zod/mini';
import { request } from './http.ts';
import { authSessionSchema, loginAnswerSchema, sessionSchema, userSchema } from './accounts.schemas.ts';

/** Sign-up, login (with the second factor), verification and password reset: backend/src/routes/auth.router.ts. */
export const authApi = {
  session: () => request('GET', '/api/v1/auth/session', { schema: sessionSchema }),
  signUp: (email: string, password: string) =>
    request('POST', '/api/v1/auth/signup', { body: { email, password, accept_terms: true } }),
  verify: (token: string) => request('POST', '/api/v1/auth/verify', { body: { token } }),
  resendVerification: (email: string) => request('POST', '/api/v1/auth/verify/resend', { body: { email } }),
  login: (email: string, password: string) =>
    request('POST', '/api/v1/auth/login', { body: { email, password }, schema: loginAnswerSchema }),
  secondFactor: (challenge: string, answer: { code?: string; recovery_code?: string }) =>
    request('POST', '/api/v1/auth/login/2fa', { body: { challenge, ...answer }, schema: loginAnswerSchema }),
  logout: () => request('POST', '/api/v1/auth/logout'),
  forgotPassword: (email: string) => request('POST', '/api/v1/auth/password/forgot', { body: { email } }),
  resetPassword: (token: string, password: string) =>
    request('POST', '/api/v1/auth/password/reset', { body: { token, password } }),
};

/** The signed-in user's own account: backend/src/routes/account.router.ts. */
export const accountApi = {
  get: () => request('GET', '/api/v1/account', { schema: userSchema }),
  changePassword: (current_password: string, new_password: string) =>
    request('PUT', '/api/v1/account/password', { body: { current_password, new_password } }),
  changeEmail: (new_email: string, password: string) =>
    request('POST', '/api/v1/account/email', { body: { new_email, password } }),
  confirmEmail: (token: string) => request('POST', '/api/v1/account/email/confirm', { body: { token } }),
  sessions: () => request('GET', '/api/v1/account/sessions', { schema: z.array(authSessionSchema) }),
  revokeSession: (id: string) => request('DELETE', `/api/v1/account/sessions/${encodeURIComponent(id)}`),
  revokeOtherSessions: () => request('DELETE', '/api/v1/account/sessions'),
  startTwoFactor: () =>
    request('POST', '/api/v1/account/2fa/setup', {
      schema: z.looseObject({ secret: z.string(), otpauth_url: z.string() }),
    }),
  enableTwoFactor: (code: string) =>
    request('POST', '/api/v1/account/2fa/enable', {
      body: { code },
      schema: z.looseObject({ recovery_codes: z.array(z.string()) }),
    }),
  disableTwoFactor: (password: string, code: string) =>
    request('POST', '/api/v1/account/2fa/disable', { body: { password, code } }),
  deleteAccount: (password: string, code?: string) =>
    request('POST', '/api/v1/account/delete', { body: { password, confirm: 'DELETE', ...(code ? { code } : {}) } }),
};
