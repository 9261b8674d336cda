import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { badParam } from '../errors.ts';
import type { QueryParams } from './query-params.ts';

/**
 * Runs one statistics query: SQL with typed placeholders plus their values, named in ClickHouse's
 * query log (`log_comment`) after the statistic, and every row checked by a zod schema (counts
 * arrive as strings because 64-bit integers are quoted in JSON).
 */
export async function runQuery<T extends z.ZodType>(
  client: ClickHouseClient,
  name: string,
  sql: string,
  params: QueryParams,
  row: T,
): Promise<z.output<T>[]> {
  try {
    const result = await client.query({
      query: sql,
      query_params: params.values,
      format: 'JSONEachRow',
      clickhouse_settings: { log_comment: `stats:${name}` },
    });
    return z.array(row).parse(await result.json());
  } catch (error) {
    // The only input ClickHouse itself interprets is a regular expression: name the parameter.
    if (error instanceof Error && /cannot compile re2/i.test(error.message))
      throw badParam('pattern', 'must be a valid RE2 regular expression');
    throw error;
  }
}

/** A count or sum from ClickHouse (quoted 64-bit integers, or plain numbers). */
export const count = z.coerce.number();
