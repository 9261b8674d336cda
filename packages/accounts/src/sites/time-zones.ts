import { CLICKHOUSE_TIME_ZONES } from './clickhouse-time-zones.ts';

/**
 * Time zones every statistics query can use. Node's Intl accepts more than ClickHouse can load
 * (`utc`, `europe/berlin`, `US/Pacific-New`, `SystemV/AST4`): such a zone reached a query as a
 * parameter and ClickHouse answered with an error, a 500 (issue 13). A zone is therefore accepted
 * only when ClickHouse lists it (and Node can use it, for period arithmetic), and is always
 * handed on spelled as ClickHouse spells it: case differences are canonicalized, nothing else is
 * guessed.
 */
let byLowerCase: Map<string, string> | undefined;

function usableInNode(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function zones(): Map<string, string> {
  byLowerCase ??= new Map(
    CLICKHOUSE_TIME_ZONES.filter(usableInNode).map((zone): [string, string] => [zone.toLowerCase(), zone]),
  );
  return byLowerCase;
}

/** The zone as ClickHouse names it, or undefined when ClickHouse (or Node) cannot use it. */
export function canonicalTimeZone(zone: string): string | undefined {
  return zones().get(zone.toLowerCase());
}

export const isValidTimeZone = (zone: string): boolean => canonicalTimeZone(zone) !== undefined;

/** Every usable zone, for pickers. */
export const timeZoneNames = (): string[] => [...zones().values()];
