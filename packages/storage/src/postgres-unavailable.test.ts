import { describe, expect, it } from 'vitest';
import { isPostgresUnavailable } from './postgres-unavailable.ts';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isPostgresUnavailable', () => {
  it('when Postgres or pgbouncer is away, then the error is "unavailable" (503), wrapped or not', () => {
    const away = [
      pgError('ECONNREFUSED'),
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('08P01', 'server conn crashed?'),
      pgError('25006', 'cannot execute UPDATE in a read-only transaction'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('wrapped', { cause: pgError('08006') }),
    ];
    expect(away.map(isPostgresUnavailable)).toEqual(away.map(() => true));
  });

  it('when a query itself is wrong, then it is not "unavailable" (it stays a 4xx or 500)', () => {
    const wrong = [pgError('23505', 'duplicate key'), pgError('42P01', 'relation does not exist'), new Error('boom')];
    expect([...wrong, undefined, 'text'].map(isPostgresUnavailable)).toEqual([false, false, false, false, false]);
  });
});
