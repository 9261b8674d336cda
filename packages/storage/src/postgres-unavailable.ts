/**
 * Whether an error means "Postgres is not reachable right now" rather than "this query is wrong":
 * the primary died or restarts, pgbouncer has no server to give, or the node answering is a standby
 * (read-only) during a promotion. Callers answer 503 + Retry-After for these: the request did not
 * commit, and the same request will succeed once pgbouncer points at the promoted standby.
 */
export function isPostgresUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof e !== 'object') return false;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      // SQLSTATE class 08 (connection exception; pgbouncer's own errors are 08P01), shutdowns and
      // restarts (57P01-57P03), too many connections, and writes sent to a standby.
      if (code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300' || code === '25006') return true;
      if (SOCKET_ERRORS.has(code)) return true;
    }
    if (typeof message === 'string' && CLIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
  }
  return false;
}

const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
// node-postgres reports a dropped or refused connection by message only.
const CLIENT_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /is not queryable/,
  /^server conn crashed/,
  /^no more connections allowed/,
];
