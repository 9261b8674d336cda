/**
 * Collects the values of one query as ClickHouse server-side typed parameters. Every value a
 * caller sends reaches ClickHouse only through here: the SQL text holds `{p3:String}`-style
 * placeholders, never the value itself.
 */
export type ParamType = 'String' | 'UInt64' | 'UInt32' | 'Date' | 'DateTime64(3)' | 'Array(String)' | 'Array(UInt64)';

export class QueryParams {
  readonly values: Record<string, unknown> = {};
  #next = 0;

  add(value: unknown, type: ParamType): string {
    const name = `p${this.#next++}`;
    this.values[name] = value instanceof Date ? dateTimeParam(value) : value;
    return `{${name}:${type}}`;
  }
}

/** DateTime64(3) parameter text in UTC, e.g. `2026-11-23 18:04:05.123`. */
export function dateTimeParam(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
