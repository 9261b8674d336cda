import type { NextFunction, Request, Response } from 'express';
import { ZodError } from 'zod';
import { AccountsError, type AccountsErrorCode } from '@spur/accounts';

const STATUS: Record<AccountsErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};

/**
 * Turns domain and validation errors into JSON answers; everything else continues to the app's
 * error handler (a logged 500). Validation errors name each offending field.
 */
export function accountsErrorHandler(error: unknown, _req: Request, res: Response, next: NextFunction) {
  if (error instanceof AccountsError) {
    if (error.retryAfterSeconds) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    res.status(STATUS[error.code]).json({ error: error.message, ...(error.field ? { field: error.field } : {}) });
    return;
  }
  if (error instanceof ZodError) {
    const validation: Record<string, string> = {};
    for (const issue of error.issues) validation[issue.path.join('.') || 'body'] ??= issue.message;
    const [field] = Object.keys(validation);
    res.status(400).json({ error: `${field}: ${validation[field!]}`, field, validation });
    return;
  }
  next(error);
}
