import { isbot } from 'isbot';
import { LRUCache } from 'lru-cache';

export { isReferrerSpam } from './referrer-spam.ts';

/** Why a request was not counted; stored with it in the `request` table. */
export type BotReason =
  | 'user_agent_missing'
  | 'user_agent_too_short'
  | 'user_agent_too_long'
  | 'user_agent_invalid'
  | 'bot_user_agent'
  | 'prefetch'
  | 'referrer_spam';

export type BotCheckInput = {
  userAgent: string;
  /** Request headers (any name case); only the prefetch markers are read. */
  headers: Record<string, string | undefined>;
};

/**
 * Real browsers' user agents are 40–400 characters; below the minimum is a tool or a hand-written
 * string, above the maximum is padding meant to break parsers or fill our tables.
 */
export const USER_AGENT_MIN_LENGTH = 16;
export const USER_AGENT_MAX_LENGTH = 1000;

// Browsers mark speculative loads so that servers (and we) can tell them from a visit.
const PREFETCH_HEADERS = new Set(['purpose', 'sec-purpose', 'x-purpose', 'x-moz']);
const PREFETCH_VALUE = /prefetch|prerender|preview/i;

// eslint-disable-next-line no-control-regex -- control characters never occur in a real user agent
const CONTROL = /[\u0000-\u001f\u007f]/;
// Markup, template and JNDI payloads: scanners probing for injection, never a browser.
const INJECTION = /[<>{}`]|\$\{|\bjndi:/i;
// WebKit/Blink, Gecko (and its forks), Trident/MSIE, KHTML, Presto, Servo.
const BROWSER_ENGINE = /AppleWebKit\/|Gecko|Trident\/|MSIE \d|KHTML|Presto\/|Servo\//;

// isbot's pattern costs a few µs a run; the verdict depends on the user agent alone, and visitors
// share few distinct ones. Only length-checked strings get here, so keys are bounded.
const verdicts = new LRUCache<string, BotReason | 'ok'>({ max: 10_000 });

/**
 * The first reason this request looks automated, or `undefined` for a plausible visitor. Length is
 * checked before any pattern runs, so a huge header never reaches a regular expression.
 */
export function detectBot(input: BotCheckInput): BotReason | undefined {
  if (isPrefetch(input.headers)) return 'prefetch';
  const userAgent = typeof input.userAgent === 'string' ? input.userAgent.trim() : '';
  if (userAgent === '') return 'user_agent_missing';
  if (userAgent.length < USER_AGENT_MIN_LENGTH) return 'user_agent_too_short';
  if (userAgent.length > USER_AGENT_MAX_LENGTH) return 'user_agent_too_long';
  let verdict = verdicts.get(userAgent);
  if (verdict === undefined) {
    verdict = userAgentVerdict(userAgent) ?? 'ok';
    verdicts.set(userAgent, verdict);
  }
  return verdict === 'ok' ? undefined : verdict;
}

function userAgentVerdict(userAgent: string): BotReason | undefined {
  if (!hasPlausibleCharacters(userAgent)) return 'user_agent_invalid';
  // Known bots before the structural checks: their user agents are often odd in structure too, and
  // the specific reason is the more useful one in the request log.
  if (isbot(userAgent)) return 'bot_user_agent';
  if (!hasBrowserStructure(userAgent)) return 'user_agent_invalid';
  return undefined;
}

function isPrefetch(headers: Record<string, string | undefined>): boolean {
  if (headers === null || typeof headers !== 'object') return false;
  // One pass over the names, whatever their case: absent markers are the common case.
  for (const name of Object.keys(headers)) {
    if (name.length < 5 || name.length > 11 || !PREFETCH_HEADERS.has(name.toLowerCase())) continue;
    const value = headers[name];
    if (typeof value === 'string' && PREFETCH_VALUE.test(value)) return true;
  }
  return false;
}

/** Control characters, injection payloads or no letters at all: never a browser. */
function hasPlausibleCharacters(userAgent: string): boolean {
  return !CONTROL.test(userAgent) && !INJECTION.test(userAgent) && /[A-Za-z]{2}/.test(userAgent);
}

/** What every browser's user agent has and scripts' made-up strings often lack. */
function hasBrowserStructure(userAgent: string): boolean {
  if (!balancedParentheses(userAgent)) return false;
  // Every browser that claims to be Mozilla names its engine; scripts that fake a browser often stop
  // at the platform comment (`Mozilla/5.0 (Windows NT 10.0; Win64; x64)`).
  return !/^Mozilla\//.test(userAgent) || BROWSER_ENGINE.test(userAgent);
}

function balancedParentheses(value: string): boolean {
  let depth = 0;
  for (let i = 0; i < value.length; i += 1) {
    const char = value.charCodeAt(i);
    if (char === 40) depth += 1;
    else if (char === 41 && --depth < 0) return false;
  }
  return depth === 0;
}
