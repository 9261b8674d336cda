import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fastEvent, fastHit } from './fast-payload.ts';
import { schemas } from './payload.schema.ts';

// Values near every limit and of every wrong type, so that generated bodies cross each rule.
const edgeText = fc.oneof(
  fc.constantFrom('', ' ', 'Home', '  Signup  ', '\ud800', 'a\ud83d', '😀', 'ÄÖÜ', '__proto__', 'constructor'),
  fc.string({ maxLength: 12, unit: 'binary' }),
  fc.constantFrom(99, 100, 101, 199, 200, 201, 999, 1_000, 1_001, 2_047, 2_048, 2_049).map((n) => 'x'.repeat(n)),
);
const anyValue = fc.oneof(
  edgeText,
  fc.constantFrom(0, -1, 1.5, 100_000, 100_001, 604_800, 604_801, Number.MAX_SAFE_INTEGER, 1e308, true, false, null),
  fc.constant([]),
  fc.constant({}),
);
const url = fc.oneof(
  fc.constantFrom(
    'https://blog.example/post?utm_source=x#top',
    'http://blog.example',
    'HTTPS://BLOG.EXAMPLE/',
    'http:/blog.example/',
    'https://',
    'ftp://blog.example/',
    'javascript:alert(1)',
    ' https://blog.example/',
    'https://blog.example/\ud800',
    `https://blog.example/${'p'.repeat(2_030)}`,
    `https://blog.example/${'p'.repeat(2_040)}`,
  ),
  anyValue,
);
const record = fc.oneof(
  fc.dictionary(edgeText, anyValue, { maxKeys: 4 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), fc.string({ maxLength: 3 }), { minKeys: 29, maxKeys: 32 }),
  anyValue,
);
/** Mostly a valid value (or none), sometimes anything: enough bodies pass for the comparison to matter. */
const field = <T>(valid: fc.Arbitrary<T>) =>
  fc.option(fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: anyValue, weight: 1 }), {
    nil: undefined,
    freq: 2,
  });
/** Texts around every limit of the contract (100, 200, 500, 1,000, 2,048 characters). */
const atLimits = fc
  .constantFrom(10, 11, 20, 21, 99, 100, 101, 200, 201, 500, 501, 1_000, 1_001, 2_048, 2_049)
  .map((n) => 'x'.repeat(n));
const validText = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('Home', 'ÄÖÜ 😀', '  padded  '), atLimits);
const validRecord = fc.dictionary(
  fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), atLimits),
  fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
  ),
  { maxKeys: 5 },
);
const manyKeys = fc
  .integer({ min: 29, max: 31 })
  .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v'])));
const hitBody = fc.record(
  {
    identification_code: field(
      fc.oneof(
        { arbitrary: fc.stringMatching(/^[\w-]{1,64}$/), weight: 8 },
        fc.constantFrom('', 'x'.repeat(65), 'bad code'),
      ),
    ),
    url: fc.oneof({ arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }), weight: 4 }, url),
    title: field(validText),
    referrer: field(validText),
    screen_width: field(fc.integer({ min: 0, max: 100_000 })),
    screen_height: field(fc.integer({ min: -1, max: 100_001 })),
    tags: field(fc.oneof(validRecord, manyKeys, record)),
    ip: field(fc.constantFrom('203.0.113.9', '2001:db8::1')),
    user_agent: field(validText),
    accept_language: field(validText),
    sec_ch_ua_mobile: field(fc.constantFrom('?0', '?1', '?10000000000')),
    sec_ch_width: field(fc.oneof(fc.constantFrom('1920', '390'), atLimits)),
    disable_bot_filter: field(fc.boolean()),
    unknown_field: fc.option(anyValue, { nil: undefined, freq: 8 }),
  },
  { requiredKeys: [] },
);
const eventBody = fc
  .tuple(
    hitBody,
    fc.record(
      {
        event_name: fc.oneof(
          { arbitrary: fc.constantFrom('Signup', '  Signup  ', '   ', 'x'.repeat(201)), weight: 3 },
          { arbitrary: validText, weight: 3 },
          { arbitrary: anyValue, weight: 1 },
        ),
        event_duration: field(fc.double({ min: -1, max: 604_801, noNaN: true })),
        event_meta: field(fc.oneof(validRecord, manyKeys, record)),
        non_interactive: field(fc.boolean()),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([hit, event]) => ({ ...hit, ...event }));

/** A body as the network delivers it: JSON text parsed (no undefined values, own '__proto__' keys). */
const wire = (body: object) => JSON.parse(JSON.stringify(body)) as unknown;

/**
 * Feeds `bodies` to the hand check and the schema; wherever the hand check answers, its answer must be
 * the schema's. Returns how many it answered, so a generator that rarely passes cannot pass the test.
 */
function answeredAsSchema(bodies: fc.Arbitrary<object>, fast: (body: unknown) => unknown, schema: z.ZodType): number {
  let answered = 0;
  fc.assert(
    fc.property(bodies, (generated) => {
      const body = wire(generated);
      const mine = fast(body);
      if (mine === undefined) return;
      answered++;
      const parsed = schema.safeParse(body);
      expect(parsed.success).toBe(true);
      expect(mine).toStrictEqual(parsed.data);
    }),
    { numRuns: 3_000 },
  );
  return answered;
}

describe('the hand-checked common case of the ingest contract (issue 20)', () => {
  it('when it answers for a page view, then the answer is exactly the schema’s', () => {
    expect(answeredAsSchema(hitBody, fastHit, schemas.page_view)).toBeGreaterThan(100);
  });

  it('when it answers for an event, then the answer is exactly the schema’s', () => {
    expect(answeredAsSchema(eventBody, fastEvent, schemas.event)).toBeGreaterThan(20);
  });

  it('when a body is the tracker’s own, then it is answered here, defaults filled in as the schema does', () => {
    const body = {
      identification_code: 'abc123',
      url: 'https://blog.example/post',
      title: 'Post',
      referrer: '',
      screen_width: 1920,
      screen_height: 1080,
    };
    expect(fastHit(body)).toStrictEqual(schemas.page_view.parse(body));
    const event = {
      ...body,
      event_name: ' Signup ',
      event_duration: 0,
      event_meta: { plan: 'pro', seats: 3 },
      non_interactive: false,
    };
    expect(fastEvent(event)).toStrictEqual(schemas.event.parse(event));
    expect(fastEvent(event)?.event_meta).toEqual({ plan: 'pro', seats: '3' });
  });

  it('when a body is unusual (unknown key, lone surrogate, prototype key), then the schema is asked', () => {
    const url = 'https://blog.example/';
    expect(fastHit({ url, extra: 1 })).toBeUndefined();
    expect(fastHit({ url, title: 'a\ud800' })).toBeUndefined();
    expect(fastHit(JSON.parse(`{"url":"${url}","tags":{"__proto__":"x"}}`))).toBeUndefined();
    expect(fastHit([url])).toBeUndefined();
    expect(fastHit(null)).toBeUndefined();
  });
});
