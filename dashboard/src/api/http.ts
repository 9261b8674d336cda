import { shallowRef } from 'vue';
import type { z } from 'zod/mini';

/** An API failure, with a sentence a person can act on in `message`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly validation?: Record<string, string>,
  ) {
    super(message);
  }
}

type Credentials = { csrfToken?: string; accessGrant?: string };

// Module state rather than a store: every request needs these, including those made before pinia exists.
const credentials: Credentials = {};

/** The session's CSRF token: the backend refuses cookie-authenticated changes without it. */
export function setCsrfToken(token: string | undefined): void {
  credentials.csrfToken = token;
}

/** A shared dashboard's grant, sent as X-Access-Link on every statistics request. */
export function setAccessGrant(grant: string | undefined): void {
  credentials.accessGrant = grant;
}

/**
 * Set when the API answers 402 because the organization's statistics are locked (billing: trial or
 * subscription ended, payment overdue, two cycles over quota). The site dashboard then shows its lock
 * screen instead of panels that would each repeat the refusal. A plan feature's 402 does not set it.
 */
export const statisticsLock = shallowRef<{ message: string; reason: string; feature?: string } | null>(null);

/**
 * The fraction of visitors the last page list was counted from, when the server samples large
 * periods (STATS_SAMPLE_ABOVE_VIEWS, answered as `X-Spur-Sampled`); null when it was exact.
 */
export const statisticsSample = shallowRef<number | null>(null);

let unauthorized: (() => void) | undefined;

/** Called when a signed-in request comes back 401: the session expired or was revoked elsewhere. */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

export type Query = Record<string, string | number | boolean | undefined | null | readonly string[]>;

export function toSearchParams(query: Query = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  return params;
}

type RequestOptions<S extends z.ZodMiniType> = {
  query?: Query;
  body?: unknown;
  schema?: S;
  signal?: AbortSignal;
};

const WORDS: Record<number, string> = {
  401: 'Please sign in again.',
  403: 'You are not allowed to do that.',
  404: 'Not found. It may have been deleted, or you may not have access.',
  429: 'Too many attempts. Wait a moment and try again.',
};

function messageOf(
  status: number,
  body: unknown,
): { message: string; field?: string; validation?: Record<string, string> } {
  const b = (body ?? {}) as { error?: unknown; field?: unknown; validation?: unknown };
  // Accounts routes answer `error: string`; Pirsch-style statistics routes answer `error: string[]`.
  const raw = Array.isArray(b.error)
    ? b.error.filter((e) => typeof e === 'string').join(' ')
    : typeof b.error === 'string'
      ? b.error
      : '';
  const validation =
    b.validation && typeof b.validation === 'object' ? (b.validation as Record<string, string>) : undefined;
  const field = typeof b.field === 'string' ? b.field : undefined;
  if (raw && status < 500) return { message: sentence(raw), field, validation };
  if (status >= 500) return { message: `The server had a problem (${status}). Try again in a moment.` };
  return { message: WORDS[status] ?? `The request failed (${status}).`, field, validation };
}

const sentence = (text: string) => {
  const t = text.trim();
  return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.');
};

/**
 * Every call to the backend goes through here: same-origin cookie, CSRF header on changes,
 * JSON in and out, the answer validated against `schema`, and failures turned into ApiError.
 */
export async function request<S extends z.ZodMiniType = z.ZodMiniType<unknown>>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: RequestOptions<S> = {},
): Promise<z.infer<S>> {
  const search = toSearchParams(options.query).toString();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && credentials.csrfToken) headers['X-CSRF-Token'] = credentials.csrfToken;
  if (credentials.accessGrant) headers['X-Access-Link'] = credentials.accessGrant;
  let response: Response;
  try {
    response = await fetch(search ? `${path}?${search}` : path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'Cannot reach the Spur API. Check your connection and try again.');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML error page: the status code still tells what happened.
  }
  if (!response.ok) {
    if (response.status === 401 && !credentials.accessGrant && !path.startsWith('/api/v1/auth/')) unauthorized?.();
    const { message, field, validation } = messageOf(response.status, body);
    const refusal = (body ?? {}) as { upgrade?: unknown; reason?: unknown; feature?: unknown };
    if (response.status === 402 && refusal.upgrade === true && typeof refusal.reason === 'string') {
      // A plan feature (reading a rollup view on a plan without rollups) names itself for the heading.
      statisticsLock.value = {
        message,
        reason: refusal.reason,
        ...(typeof refusal.feature === 'string' ? { feature: refusal.feature } : {}),
      };
    }
    throw new ApiError(response.status, message, field, validation);
  }
  if (path === '/api/v1/statistics/page') {
    const sampled = Number(response.headers.get('X-Spur-Sampled') ?? NaN);
    statisticsSample.value = sampled > 0 && sampled < 1 ? sampled : null;
  }
  if (!options.schema) return body as z.infer<S>;
  const parsed = options.schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(
      response.status,
      `The API answered in an unexpected shape (${path}). Reload the page; if it persists, tell us.`,
    );
  }
  return parsed.data as z.infer<S>;
}

export const errorText = (error: unknown): string =>
  error instanceof ApiError ? error.message : error instanceof Error ? error.message : 'Something went wrong.';
