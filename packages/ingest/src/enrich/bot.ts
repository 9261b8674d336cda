import { isbot } from 'isbot';
import { headerValue } from './text.ts';

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
const PREFETCH_HEADERS = ['purpose', 'sec-purpose', 'x-purpose', 'x-moz'] as const;
const PREFETCH_VALUE = /prefetch|prerender|preview/i;

// eslint-disable-next-line no-control-regex -- control characters never occur in a real user agent
const CONTROL = /[\u0000-\u001f\u007f]/;
// Markup, template and JNDI payloads: scanners probing for injection, never a browser.
const INJECTION = /[<>{}`]|\$\{|\bjndi:/i;
// Every real user agent carries at least one `product/version` token.
const PRODUCT_TOKEN = /[A-Za-z][\w.+-]*\/\d/;

/**
 * The first reason this request looks automated, or `undefined` for a plausible visitor. Cheap
 * checks run first; isbot's pattern (the expensive one) last.
 */
export function detectBot(input: BotCheckInput): BotReason | undefined {
  if (isPrefetch(input.headers)) return 'prefetch';
  const userAgent = typeof input.userAgent === 'string' ? input.userAgent.trim() : '';
  if (userAgent === '') return 'user_agent_missing';
  if (userAgent.length < USER_AGENT_MIN_LENGTH) return 'user_agent_too_short';
  if (userAgent.length > USER_AGENT_MAX_LENGTH) return 'user_agent_too_long';
  if (!isPlausibleUserAgent(userAgent)) return 'user_agent_invalid';
  if (isbot(userAgent)) return 'bot_user_agent';
  return undefined;
}

function isPrefetch(headers: Record<string, string | undefined>): boolean {
  if (headers === null || typeof headers !== 'object') return false;
  for (const name of PREFETCH_HEADERS) {
    const value = headerValue(headers, name);
    if (typeof value === 'string' && PREFETCH_VALUE.test(value)) return true;
  }
  return false;
}

/** Structural sanity: what every browser's user agent has and tools' made-up strings often lack. */
function isPlausibleUserAgent(userAgent: string): boolean {
  if (CONTROL.test(userAgent) || INJECTION.test(userAgent)) return false;
  if (!/[A-Za-z]{2}/.test(userAgent)) return false;
  if (!PRODUCT_TOKEN.test(userAgent)) return false;
  if (!balancedParentheses(userAgent)) return false;
  // `Mozilla/5.0 (Windows NT 10.0; Win64; x64)` and nothing else: browsers always name their engine
  // after the platform comment; only Internet Explorer (MSIE/Trident) ended there.
  if (/^Mozilla\/\d/.test(userAgent)) {
    const afterComment = userAgent.replace(/^Mozilla\/[\d.]+\s*(?:\([^)]*\))?/, '').trim();
    if (afterComment === '' && !/MSIE|Trident/.test(userAgent)) return false;
  }
  return true;
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
