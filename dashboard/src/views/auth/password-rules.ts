/**
 * The password rules of packages/accounts (password-policy.ts), as a checklist the sign-up form
 * shows before the first attempt. `met` is undefined where the browser cannot tell (the list of
 * common passwords stays on the server) or while the field is empty.
 */
export type PasswordRule = { text: string; met?: boolean };

export const PASSWORD_MIN_LENGTH = 10;

export function passwordRules(password: string, email: string): PasswordRule[] {
  const local = email.toLowerCase().split('@')[0] ?? '';
  const typed = password.length > 0;
  return [
    {
      text: `At least ${PASSWORD_MIN_LENGTH} characters`,
      met: typed ? [...password].length >= PASSWORD_MIN_LENGTH : undefined,
    },
    {
      text: 'Does not contain the part of your email before the @',
      // The server only checks names of four letters or more.
      met: typed && local.length >= 4 ? !password.toLowerCase().includes(local) : undefined,
    },
    { text: 'Not a common password, a word with digits added, or a run like abcdefghij' },
  ];
}
