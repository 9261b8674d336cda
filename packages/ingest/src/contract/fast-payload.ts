import type { z } from 'zod';
import {
  FORWARDED_TEXTS,
  IDENTIFICATION_CODE,
  LIMITS,
  schemas,
  type EventPayload,
  type HitPayload,
  type IngestKind,
  type SessionPayload,
} from './payload.schema.ts';

/*
 * The contract's common case checked by hand: a page view or event whose every field is present
 * with its plain type, within its limits (the schema's LIMITS) and already well-formed. It returns
 * exactly what the zod schema returns for such a body (defaults filled in, numbers of metadata as
 * text), or undefined for anything else, which the schema then parses and, if it is wrong,
 * describes. So the schema stays the one definition of what is valid; this only saves building
 * zod's results on the hottest path (about a tenth of a hit's CPU in the profile, issue 20). The
 * unit test feeds both the same generated bodies and requires equal answers whenever this one answers.
 */
type Es2024String = string & { isWellFormed(): boolean };
type Body = Record<string, unknown>;
const TEXTS: Record<string, number> = FORWARDED_TEXTS;

const HIT_KEYS = new Set([
  'identification_code',
  'url',
  'title',
  'referrer',
  'screen_width',
  'screen_height',
  'tags',
  'disable_bot_filter',
  ...Object.keys(TEXTS),
]);
const EVENT_KEYS = new Set([...HIT_KEYS, 'event_name', 'event_duration', 'event_meta', 'non_interactive']);

const plainText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length <= max && (value as Es2024String).isWellFormed();

const screen = (value: unknown) =>
  value === undefined
    ? 0
    : typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= LIMITS.screen
      ? value
      : undefined;

function absoluteHttpUrl(value: unknown): value is string {
  if (!plainText(value, LIMITS.url)) return false;
  if (!value.startsWith('https://') && !value.startsWith('http://')) return false;
  return URL.canParse(value);
}

/** Tags or event metadata: a few keys of limited length, values text, finite numbers or booleans. */
function keyValues(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const out: Record<string, string> = {};
  let n = 0;
  for (const key in value) {
    if (++n > LIMITS.entries || key.length === 0 || key.length > LIMITS.key || !(key as Es2024String).isWellFormed())
      return undefined;
    // '__proto__' and friends are left to the schema.
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return undefined;
    const v = (value as Body)[key];
    if (typeof v === 'string') {
      if (!plainText(v, LIMITS.value)) return undefined;
      out[key] = v;
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return undefined;
      out[key] = String(v);
    } else if (typeof v === 'boolean') out[key] = String(v);
    else return undefined;
  }
  return out;
}

function hitFields(body: Body): HitPayload | undefined {
  const { identification_code: code, url, title, referrer, disable_bot_filter: noBotFilter } = body;
  if (code !== undefined && (typeof code !== 'string' || !IDENTIFICATION_CODE.test(code))) return undefined;
  if (!absoluteHttpUrl(url)) return undefined;
  if (title !== undefined && !plainText(title, LIMITS.title)) return undefined;
  if (referrer !== undefined && !plainText(referrer, LIMITS.referrer)) return undefined;
  const width = screen(body.screen_width);
  const height = screen(body.screen_height);
  if (width === undefined || height === undefined) return undefined;
  const tags = keyValues(body.tags);
  if (!tags) return undefined;
  if (noBotFilter !== undefined && typeof noBotFilter !== 'boolean') return undefined;
  const hit: Record<string, unknown> = {
    url,
    title: title ?? '',
    referrer: referrer ?? '',
    screen_width: width,
    screen_height: height,
    tags,
  };
  if (code !== undefined) hit.identification_code = code;
  if (noBotFilter !== undefined) hit.disable_bot_filter = noBotFilter;
  for (const key in TEXTS) {
    const value = body[key];
    if (value === undefined) continue;
    if (!plainText(value, TEXTS[key]!)) return undefined;
    hit[key] = value;
  }
  return hit as HitPayload;
}

function onlyKnownKeys(body: Body, known: Set<string>): boolean {
  for (const key in body) if (!known.has(key)) return false;
  return true;
}

const isBody = (body: unknown): body is Body =>
  typeof body === 'object' && body !== null && !Array.isArray(body) && Object.getPrototypeOf(body) === Object.prototype;

/** A page view's payload as the schema would parse it, or undefined: ask the schema. */
export function fastHit(body: unknown): HitPayload | undefined {
  if (!isBody(body) || !onlyKnownKeys(body, HIT_KEYS)) return undefined;
  return hitFields(body);
}

/** An event's payload as the schema would parse it, or undefined: ask the schema. */
export function fastEvent(body: unknown): EventPayload | undefined {
  if (!isBody(body) || !onlyKnownKeys(body, EVENT_KEYS)) return undefined;
  const hit = hitFields(body);
  if (!hit) return undefined;
  const { event_name: rawName, event_duration: duration, non_interactive: nonInteractive } = body;
  if (typeof rawName !== 'string') return undefined;
  const name = rawName.trim();
  if (name.length === 0 || name.length > LIMITS.eventName || !(name as Es2024String).isWellFormed()) return undefined;
  if (
    duration !== undefined &&
    !(
      typeof duration === 'number' &&
      Number.isFinite(duration) &&
      duration >= 0 &&
      duration <= LIMITS.eventDurationSeconds
    )
  )
    return undefined;
  if (nonInteractive !== undefined && typeof nonInteractive !== 'boolean') return undefined;
  const meta = keyValues(body.event_meta);
  if (!meta) return undefined;
  return {
    ...hit,
    event_name: name,
    event_duration: duration ?? 0,
    event_meta: meta,
    non_interactive: nonInteractive ?? false,
  };
}

/**
 * A single request's payload: the common case checked by hand, anything else by the schema, whose
 * error the caller describes (describeIssue).
 */
export function parsePayload(
  kind: IngestKind,
  body: unknown,
): { success: true; data: HitPayload | EventPayload | SessionPayload } | { success: false; error: z.ZodError } {
  const fast = kind === 'page_view' ? fastHit(body) : kind === 'event' ? fastEvent(body) : undefined;
  if (fast) return { success: true, data: fast };
  return (schemas[kind] as z.ZodType<HitPayload | EventPayload | SessionPayload>).safeParse(body);
}
