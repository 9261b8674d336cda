import { COMMON_BASE_WORDS, COMMON_PASSWORDS } from './common-passwords.ts';

export const PASSWORD_MIN_LENGTH = 10;
/** scrypt hashes any length, but megabyte passwords would be a cheap way to burn our CPU. */
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common' | 'contains_email';

/** Why a new password is refused, or undefined when it is acceptable. */
export function checkPassword(password: string, email?: string): PasswordProblem | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'too_long';
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'too_common';
  const stem = lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  if (COMMON_BASE_WORDS.has(stem) || COMMON_BASE_WORDS.has(lower)) return 'too_common';
  if (isMonotonous(lower)) return 'too_common';
  const local = email?.toLowerCase().split('@')[0];
  if (local && local.length >= 4 && lower.includes(local)) return 'contains_email';
  return undefined;
}

export function describePasswordProblem(problem: PasswordProblem): string {
  switch (problem) {
    case 'too_short':
      return `password must be at least ${PASSWORD_MIN_LENGTH} characters`;
    case 'too_long':
      return `password must be at most ${PASSWORD_MAX_LENGTH} characters`;
    case 'too_common':
      return 'password is too common; choose a longer or less predictable one';
    case 'contains_email':
      return 'password must not contain your email address';
  }
}

/** One repeated character, or a run that only steps up or down by one ("abcdefghij", "9876543210"). */
function isMonotonous(value: string): boolean {
  const codes = [...value].map((c) => c.codePointAt(0)!);
  const distinct = new Set(codes).size;
  if (distinct <= 2) return true;
  const steps = new Set(codes.slice(1).map((c, i) => c - codes[i]!));
  return steps.size === 1 && [...steps].every((s) => Math.abs(s) <= 1);
}
