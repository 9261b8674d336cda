import { describe, expect, it } from 'vitest';
import { cachedAuthenticate, type LookupBearer } from './principal-cache.ts';

/** A lookup that counts its calls and answers from a table the test changes. */
function fakeDatabase() {
  const rows = new Map<string, Awaited<ReturnType<LookupBearer>>>();
  const calls: string[] = [];
  const lookup: LookupBearer = async (token) => {
    calls.push(token);
    return rows.get(token);
  };
  return { rows, calls, lookup };
}

const principal = (apiClientId: string) => ({ organizationId: '1', siteId: '2', apiClientId });

describe('cachedAuthenticate', () => {
  it('when the same token comes again within the TTL, then the database is asked once', async () => {
    const db = fakeDatabase();
    db.rows.set('t', { principal: principal('9') });
    const authenticate = cachedAuthenticate(db.lookup, 60_000);
    expect(await authenticate('t')).toEqual(principal('9'));
    expect(await authenticate('t')).toEqual(principal('9'));
    expect(await authenticate('unknown')).toBeUndefined();
    expect(await authenticate('unknown')).toBeUndefined();
    expect(db.calls).toEqual(['t', 'unknown']);
  });

  it('when a cached token reaches its expiry, then it is looked up again (and refused) although the TTL has not passed', async () => {
    const db = fakeDatabase();
    db.rows.set('t', { principal: principal('9'), expiresAt: new Date(Date.now() + 50) });
    const authenticate = cachedAuthenticate(db.lookup, 60_000);
    expect(await authenticate('t')).toEqual(principal('9'));
    db.rows.delete('t'); // what Postgres answers once `expires_at > now()` no longer holds
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await authenticate('t')).toBeUndefined();
    expect(db.calls).toEqual(['t', 't']);
  });

  it('when a client is revoked, then only its tokens are forgotten', async () => {
    const db = fakeDatabase();
    db.rows.set('a', { principal: principal('1') });
    db.rows.set('b', { principal: principal('1') });
    db.rows.set('c', { principal: principal('2') });
    const authenticate = cachedAuthenticate(db.lookup, 60_000);
    for (const token of ['a', 'b', 'c']) await authenticate(token);
    db.rows.delete('a');
    db.rows.delete('b');
    authenticate.forgetClient('1');
    expect([await authenticate('a'), await authenticate('b'), await authenticate('c')]).toEqual([
      undefined,
      undefined,
      principal('2'),
    ]);
    expect(db.calls).toEqual(['a', 'b', 'c', 'a', 'b']);
  });
});
