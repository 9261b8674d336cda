import type { NextFunction, Request, Response } from 'express';
import { StatsError } from '@spur/stats';
import { HttpError } from './errors.ts';

/** A bad query parameter, answered in Pirsch's shape: 400 naming it in `validation` and `field`. */
export function badQueryParam(param: string, message: string): HttpError {
  return new HttpError(400, `${param}: ${message}`, { validation: { [param]: message }, field: param });
}

/**
 * Pirsch's error shape (`error` is a list; `validation` names a bad parameter), which pirsch-sdk
 * reads. The statistics family answers in it; anything it does not know goes on to the app's
 * error handler (a logged 500).
 */
export function pirschErrors(error: unknown, _req: Request, res: Response, next: NextFunction) {
  if (error instanceof StatsError) {
    const detail = error.param ? error.message.replace(`${error.param}: `, '') : undefined;
    res.status(error.status).json({
      error: [error.message],
      ...(error.param ? { validation: { [error.param]: detail }, field: error.param } : {}),
    });
    return;
  }
  if (error instanceof HttpError) {
    res.status(error.status).json({ error: [error.message], ...error.details });
    return;
  }
  next(error);
}
