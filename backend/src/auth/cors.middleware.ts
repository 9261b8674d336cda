import type { NextFunction, Request, Response } from 'express';

/**
 * When the dashboard is served from another origin than the API (app.… vs api.…), the browser
 * needs CORS with credentials to send the session cookie. Only the dashboard's origin is allowed;
 * any other origin gets no CORS headers and its reads fail in the browser.
 */
export function dashboardCors(dashboardOrigin: string, apiOrigin: string) {
  const origin = new URL(dashboardOrigin).origin;
  const sameOrigin = origin === new URL(apiOrigin).origin;
  return (req: Request, res: Response, next: NextFunction) => {
    if (sameOrigin || req.get('origin') !== origin) return next();
    res.vary('Origin');
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    // The dashboard marks a page list counted from a sample ("≈ sampled").
    res.setHeader('Access-Control-Expose-Headers', 'X-Spur-Sampled');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-CSRF-Token, X-Access-Link, Authorization');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
