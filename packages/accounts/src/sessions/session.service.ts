import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { AccountsContext } from '../context.ts';
import { isId, withTransaction, type Db } from '../db.ts';
import { notFound } from '../errors.ts';
import { hashToken, randomToken } from '../crypto/tokens.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { describeUserAgent } from './user-agent-label.ts';

/**
 * Dashboard logins. The cookie holds 256 random bits; the table holds their SHA-256, so a
 * database leak does not hand out sessions. The CSRF token is derived from the session token,
 * so it needs no storage and is worthless without the cookie it belongs to.
 */
export type AuthenticatedSession = {
  sessionId: string;
  userId: string;
  email: string;
  csrfToken: string;
  expiresAt: Date;
};
export type NewSession = { token: string; csrfToken: string; expiresAt: Date; sessionId: string };

export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

export async function createSession(ctx: AccountsContext, db: Db, userId: string, userAgent = ''): Promise<NewSession> {
  const token = randomToken(32);
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ctx.sessionMaxAgeDays * 86_400_000);
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO auth_session (token_hash, user_id, user_agent, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5) RETURNING id',
    [hashToken(token), userId, describeUserAgent(userAgent), now, expiresAt],
  );
  return { token, csrfToken: csrfTokenFor(token), expiresAt, sessionId: rows[0]!.id };
}

/** Sessions from before the last password change or reset are dead even if a row survived. */
export async function authenticateSession(
  ctx: AccountsContext,
  token: string | undefined,
): Promise<AuthenticatedSession | undefined> {
  if (!token || token.length > 100) return undefined;
  const now = ctx.now();
  const { rows } = await ctx.db.query<{
    id: string;
    user_id: string;
    email: string;
    expires_at: Date;
    last_seen_at: Date;
  }>(
    `SELECT s.id, s.user_id, u.email, s.expires_at, s.last_seen_at
       FROM auth_session s JOIN app_user u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.created_at >= u.credentials_changed_at`,
    [hashToken(token), now],
  );
  const row = rows[0];
  if (!row) return undefined;
  // One write every few minutes at most, not one per request.
  if (now.getTime() - row.last_seen_at.getTime() > 5 * 60_000) {
    await ctx.db.query('UPDATE auth_session SET last_seen_at = $2 WHERE id = $1', [row.id, now]);
  }
  return {
    sessionId: row.id,
    userId: row.user_id,
    email: row.email,
    csrfToken: csrfTokenFor(token),
    expiresAt: row.expires_at,
  };
}

export async function endSession(ctx: AccountsContext, token: string): Promise<void> {
  await ctx.db.query('DELETE FROM auth_session WHERE token_hash = $1', [hashToken(token)]);
}

export type SessionInfo = {
  id: string;
  user_agent: string;
  created_at: string;
  last_seen_at: string;
  current: boolean;
};

export async function listSessions(
  ctx: AccountsContext,
  userId: string,
  currentSessionId?: string,
): Promise<SessionInfo[]> {
  const { rows } = await ctx.db.query<{ id: string; user_agent: string; created_at: Date; last_seen_at: Date }>(
    'SELECT id, user_agent, created_at, last_seen_at FROM auth_session WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC',
    [userId, ctx.now()],
  );
  return rows.map((r) => ({
    id: r.id,
    user_agent: r.user_agent,
    created_at: r.created_at.toISOString(),
    last_seen_at: r.last_seen_at.toISOString(),
    current: r.id === currentSessionId,
  }));
}

/** Ends one of the caller's own sessions; another user's session id is simply not found. */
export async function revokeSession(ctx: AccountsContext, userId: string, sessionId: string): Promise<void> {
  if (!isId(sessionId)) throw notFound('session not found');
  const { rowCount } = await ctx.db.query('DELETE FROM auth_session WHERE id = $1 AND user_id = $2', [
    sessionId,
    userId,
  ]);
  if (!rowCount) throw notFound('session not found');
  await recordAudit(ctx.db, { userId, action: 'user.session_revoked', details: { session_id: sessionId } });
}

/** "Sign out everywhere" (but here), on the user's request. Returns how many sessions ended. */
export async function revokeOtherSessions(db: pg.Pool, userId: string, keepSessionId?: string): Promise<number> {
  return withTransaction(db, async (tx) => {
    const revoked = await endOtherSessions(tx, userId, keepSessionId);
    await recordAudit(tx, { userId, action: 'user.sessions_revoked', details: { revoked } });
    return revoked;
  });
}

/**
 * Ends every session but `keepSessionId`, without an audit row of its own: for changes (password
 * change or reset) whose own row already says that everyone was signed out.
 */
export async function endOtherSessions(db: Db, userId: string, keepSessionId?: string): Promise<number> {
  const { rowCount } = await db.query(
    'DELETE FROM auth_session WHERE user_id = $1 AND ($2::bigint IS NULL OR id <> $2)',
    [userId, keepSessionId ?? null],
  );
  return rowCount ?? 0;
}
