import type { ClickHouseClient } from '@spur/storage';

/**
 * Regular expressions that ClickHouse runs (`match(path, …)`: goal patterns, `pattern` filters and
 * funnel steps) are RE2, not JavaScript: `^/(?=pricing)` compiles in Node and fails in ClickHouse.
 * Saved unchecked, such a pattern turned every later read of the site's goals or funnels into an
 * error (issue 13). So patterns are checked by the engine that will run them: ClickHouse compiles
 * the expression against a constant and says why it cannot. Answers are remembered (the same text
 * always gets the same answer from one engine version), so reads pay for a pattern once.
 */
const known = new Map<string, string | undefined>();
const KNOWN_MAX = 10_000;

/** RE2's reason for refusing `pattern` (e.g. `invalid perl operator: (?=`), or undefined when it compiles. */
export async function re2Problem(client: ClickHouseClient, pattern: string): Promise<string | undefined> {
  if (known.has(pattern)) return known.get(pattern);
  let problem: string | undefined;
  try {
    const result = await client.query({
      query: "SELECT match('', {pattern:String}) AS matched",
      query_params: { pattern },
      format: 'JSONEachRow',
      clickhouse_settings: { log_comment: 'accounts:re2-check' },
    });
    await result.json();
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (!/cannot compile re2|CANNOT_COMPILE_REGEXP/i.test(message)) throw error;
    problem = reasonOf(message, pattern);
  }
  if (known.size >= KNOWN_MAX) known.clear();
  known.set(pattern, problem);
  return problem;
}

/** `… cannot compile re2: <pattern>, error: <reason>. Look at …`, read by position, not by a regex over it. */
function reasonOf(message: string, pattern: string): string {
  const marker = `cannot compile re2: ${pattern}, error: `;
  const at = message.indexOf(marker);
  if (at === -1) return 'not a valid RE2 expression';
  const rest = message.slice(at + marker.length);
  const end = rest.indexOf('. Look at');
  return (end === -1 ? rest : rest.slice(0, end)).trim();
}

/**
 * Without a ClickHouse connection (a process that never reads statistics), a stricter check than
 * RE2's: JavaScript must compile it in Unicode mode, and the constructs RE2 lacks (lookaround,
 * backreferences) are refused. It may refuse a pattern RE2 would take, never the reverse for these.
 */
export function strictRe2Problem(pattern: string): string | undefined {
  if (/\(\?<?[=!]/.test(pattern)) return 'lookahead and lookbehind are not supported';
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences are not supported';
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export async function patternProblem(client: ClickHouseClient | undefined, pattern: string) {
  return client ? re2Problem(client, pattern) : strictRe2Problem(pattern);
}
