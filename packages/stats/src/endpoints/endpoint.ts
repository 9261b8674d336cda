import { z } from 'zod';
import type { StatsContext } from '../context.ts';
import { querySchema, type QueryOptions } from '../filter/filter-query.schema.ts';

/**
 * One statistics endpoint: its path under `/api/v1/statistics/`, the zod schema of its query
 * string and of its answer, and the function computing it. The router serves the list, the
 * OpenAPI document describes the same list, and the tenancy test walks it.
 */
export type Endpoint = {
  path: string;
  tag: string;
  summary: string;
  query: z.ZodObject;
  response: z.ZodType;
  run: (ctx: StatsContext) => Promise<unknown>;
  /** The rows of a CSV export, when the answer is not simply a list (or one object = one row). */
  csvRows?: (answer: never) => Record<string, unknown>[];
};

export function endpoint(
  path: string,
  spec: {
    tag: string;
    summary: string;
    query?: QueryOptions;
    /** The schema of one row when the answer is a list. */
    row?: z.ZodType;
    /** The schema of the whole answer otherwise. */
    response?: z.ZodType;
    run: (ctx: StatsContext) => Promise<unknown>;
    csvRows?: Endpoint['csvRows'];
  },
): Endpoint {
  const response = spec.response ?? z.array(spec.row!);
  return {
    path,
    tag: spec.tag,
    summary: spec.summary,
    query: querySchema(spec.query),
    response,
    run: spec.run,
    csvRows: spec.csvRows,
  };
}
