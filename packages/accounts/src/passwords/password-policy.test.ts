import { describe, expect, it } from 'vitest';
import { checkPassword } from './password-policy.ts';

describe('password policy', () => {
  it('when a password is shorter than 10 characters, then it is too short', () => {
    expect(checkPassword('Xk9#mP2$q')).toBe('too_short');
    expect(checkPassword('Xk9#mP2$qL')).toBeUndefined();
  });

  it('when a password is a common one or a common word with digits and symbols around it, then it is too common', () => {
    for (const password of [
      '1234567890',
      'qwertyuiop',
      'Password123',
      'password2024!',
      'iloveyou12',
      '!!Welcome2025',
      'aaaaaaaaaaaa',
      'abcdefghijk',
      '9876543210',
    ]) {
      expect(checkPassword(password), password).toBe('too_common');
    }
  });

  it('when a password contains the local part of the email, then it is refused', () => {
    expect(checkPassword('margarethamilton-1969', 'MargaretHamilton@example.com')).toBe('contains_email');
    expect(checkPassword('apollo-guidance-1969', 'margaret@example.com')).toBeUndefined();
  });

  it('when a password is absurdly long, then it is refused before hashing', () => {
    expect(checkPassword('x7'.repeat(129))).toBe('too_long');
  });
});
