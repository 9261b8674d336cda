/**
 * Domain errors carry a code the web layer maps to a status. `not_found` is also what a caller
 * gets for anything that exists but is not theirs: tenancy never confirms a foreign id.
 */
export type AccountsErrorCode =
  | 'invalid' // 400
  | 'unauthorized' // 401
  | 'forbidden' // 403: visible to the caller, but their role may not change it
  | 'not_found' // 404
  | 'conflict' // 409
  | 'rate_limited'; // 429

export class AccountsError extends Error {
  constructor(
    readonly code: AccountsErrorCode,
    message: string,
    readonly field?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AccountsError';
  }
}

export const notFound = (what = 'not found') => new AccountsError('not_found', what);
export const forbidden = (what = 'your role does not allow this') => new AccountsError('forbidden', what);
export const invalid = (message: string, field?: string) => new AccountsError('invalid', message, field);
export const conflict = (message: string, field?: string) => new AccountsError('conflict', message, field);
