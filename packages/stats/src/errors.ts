/**
 * What a statistics request did wrong, for the HTTP layer to answer with: 400 naming the
 * parameter, or 404 when the site (or funnel, session, ...) is not there for this caller.
 */
export class StatsError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
    /** The query parameter at fault (400 only). */
    readonly param?: string,
  ) {
    super(message);
  }
}

export const badParam = (param: string, message: string) => new StatsError(400, `${param}: ${message}`, param);
export const notFound = (what: string) => new StatsError(404, `${what} not found`);
