import { describe, expect, it } from 'vitest';
import { passwordRules } from './password-rules.ts';

const met = (password: string, email: string) => passwordRules(password, email).map((r) => r.met);

describe('the password rules shown at sign-up', () => {
  it('when nothing is typed yet, then every rule is shown and none is ticked or crossed', () => {
    expect(passwordRules('', '')).toEqual([
      { text: 'At least 10 characters', met: undefined },
      { text: 'Does not contain the part of your email before the @', met: undefined },
      { text: 'Not a common password, a word with digits added, or a run like abcdefghij' },
    ]);
  });

  it('when the password holds the name before the @, then that rule is crossed before the server refuses it', () => {
    expect(met('Newcomer-Pass-2026!x', 'newcomer@site.example')).toEqual([true, false, undefined]);
    expect(met('short', 'ada@example.com')).toEqual([false, undefined, undefined]);
    expect(met('Other-Pass-2026!x', 'newcomer@site.example')).toEqual([true, true, undefined]);
  });
});
