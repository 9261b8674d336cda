import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http.ts';
import { useAction } from './use-action.ts';

describe('a button’s action', () => {
  it('when a request answers nothing (204), then it still counts as done, so the list it changed reloads', async () => {
    const action = useAction();
    expect(await action.succeeds(async () => undefined)).toBe(true);
    expect(action.error.value).toBeNull();
  });

  it('when a request fails, then it is not done and the failure is in words', async () => {
    const action = useAction();
    expect(await action.succeeds(() => Promise.reject(new ApiError(409, 'this report exists already')))).toBe(false);
    expect(action.error.value).toBe('this report exists already');
    expect(action.busy.value).toBe(false);
  });
});
