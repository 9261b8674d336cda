import type { NextFunction, Request, Response } from 'express';

/**
 * pirsch-sdk builds two URLs from absolute paths (`/api/v1//api/v1/funnel` for `listFunnel`,
 * `…/statistics/funnel` for `funnel`); folding the doubled prefix keeps the SDK working unmodified.
 */
export function sdkPathCompat(req: Request, _res: Response, next: NextFunction) {
  if (req.url.startsWith('/api/v1//api/v1/')) req.url = req.url.slice('/api/v1/'.length);
  next();
}
