/**
 * Pirsch's filter value syntax: `v` equals, `!v` does not equal, `~v` contains, `^v` does not
 * contain (both case-insensitive), and `null` stands for the empty value (so `!null` means "set").
 * Repeated values of one field are alternatives for positive conditions ("path=/a&path=/b": either
 * page) and all must hold for negative ones ("path=!/a&path=!/b": neither page).
 */
export type ValueOp = 'eq' | 'neq' | 'contains' | 'not_contains';
export type ValueCondition = { op: ValueOp; value: string };

const PREFIXES: Record<string, ValueOp> = { '!': 'neq', '~': 'contains', '^': 'not_contains' };

export function parseValue(raw: string): ValueCondition {
  const first = raw[0] ?? '';
  const op = Object.hasOwn(PREFIXES, first) ? PREFIXES[first] : undefined;
  const rest = op ? raw.slice(1) : raw;
  // Only the exact operand `null` means "empty": `~null` still searches for the text.
  const empty = rest.toLowerCase() === 'null' && (op === undefined || op === 'neq');
  return { op: op ?? 'eq', value: empty ? '' : rest };
}

export const isNegative = (c: ValueCondition) => c.op === 'neq' || c.op === 'not_contains';

/** Flips a condition, for "sessions that have no event named x" style anti-joins. */
export function negate(c: ValueCondition): ValueCondition {
  const flipped: Record<ValueOp, ValueOp> = {
    eq: 'neq',
    neq: 'eq',
    contains: 'not_contains',
    not_contains: 'contains',
  };
  return { op: flipped[c.op], value: c.value };
}

/**
 * Regular expressions (`pattern`) start with `^` more often than not, so only `!` (does not match)
 * is an operator there; everything else is the expression itself.
 */
export function parsePatternValue(raw: string): ValueCondition {
  return raw.startsWith('!') ? { op: 'neq', value: raw.slice(1) } : { op: 'eq', value: raw };
}
