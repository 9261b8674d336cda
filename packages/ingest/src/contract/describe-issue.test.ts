import { describe, expect, it } from 'vitest';
import { batchSchemas, describeIssue, schemas } from './payload.schema.ts';

const problem = (schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } }, body: unknown) => {
  const parsed = schema.safeParse(body);
  if (parsed.success) return 'accepted';
  return describeIssue(parsed.error as never, body);
};

describe('400 bodies of ingest', () => {
  it('when a field has the wrong type, then it is reported as such, not as missing (issue 13)', () => {
    const url = 'https://blog.example/';
    expect(problem(schemas.page_view, { url, screen_width: '1920' })).toEqual({
      error: 'screen_width must be of type number',
      field: 'screen_width',
    });
    expect(problem(schemas.page_view, { screen_width: 1920 })).toEqual({ error: 'url is required', field: 'url' });
    expect(problem(schemas.page_view, { url: null })).toEqual({ error: 'url must be of type string', field: 'url' });
  });

  it('when a batch item is wrong, then the item and its field are named', () => {
    const time = new Date().toISOString();
    const body = [
      { url: 'https://blog.example/', time },
      { time, screen_width: 1 },
      { url: 3, time },
    ];
    expect(problem(batchSchemas.page_view, body)).toEqual({ error: 'items[1].url is required', field: 'items[1].url' });
    expect(problem(batchSchemas.page_view, [body[0], body[2]])).toEqual({
      error: 'items[1].url must be of type string',
      field: 'items[1].url',
    });
  });
});
