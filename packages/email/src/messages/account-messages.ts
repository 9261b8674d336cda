import { renderLayout, type RenderedEmail } from '../layout.ts';

/** Messages about a person's own account. Links arrive fully built by the accounts package. */

export function verifyEmailMessage(input: { verifyUrl: string; expiresInHours: number }): RenderedEmail {
  return renderLayout('Confirm your email address for Spur', {
    heading: 'Confirm your email address',
    preheader: 'One click and your Spur account is ready.',
    paragraphs: ['Thanks for signing up for Spur. Please confirm that this address belongs to you.'],
    action: { label: 'Confirm email address', url: input.verifyUrl },
    note: `This link expires in ${input.expiresInHours} hours. If you did not sign up, ignore this email.`,
  });
}

export function resetPasswordMessage(input: { resetUrl: string; expiresInMinutes: number }): RenderedEmail {
  return renderLayout('Reset your Spur password', {
    heading: 'Reset your password',
    preheader: 'Someone asked to reset the password of your Spur account.',
    paragraphs: [
      'We received a request to reset the password of your Spur account. Choose a new one with the button below.',
    ],
    action: { label: 'Choose a new password', url: input.resetUrl },
    note: `This link works once and expires in ${input.expiresInMinutes} minutes. If you did not ask for it, your password stays as it is.`,
  });
}

export function changeEmailMessage(input: {
  confirmUrl: string;
  newEmail: string;
  expiresInHours: number;
}): RenderedEmail {
  return renderLayout('Confirm your new email address for Spur', {
    heading: 'Confirm your new email address',
    preheader: `Use ${input.newEmail} for your Spur account.`,
    paragraphs: [`You asked to use ${input.newEmail} for your Spur account. Confirm the change with the button below.`],
    action: { label: 'Confirm new address', url: input.confirmUrl },
    note: `This link expires in ${input.expiresInHours} hours. Until then, your account keeps its current address.`,
  });
}

/**
 * To the old address. Whoever changed it knew the password, and a reset link would now go to the
 * new address, so the way back is logging in and changing the address back (its confirmation
 * comes here). Mail comes from a no-reply sender: never ask for a reply.
 */
export function emailChangedMessage(input: { newEmail: string; when: string; settingsUrl: string }): RenderedEmail {
  return renderLayout('The email address of your Spur account changed', {
    heading: 'Your email address changed',
    preheader: 'Your Spur account now uses a different email address.',
    paragraphs: [
      `On ${input.when} the email address of your Spur account was changed to ${input.newEmail}.`,
      'If this was not you, someone knows your password. Log in with the new address and your password, change the address back and choose a new password; that signs out every other session.',
      'A password reset will not reach you, because its link goes to the new address. If you cannot log in any more, ask the administrator of your Spur service to set a new password for you.',
    ],
    action: { label: 'Email & password settings', url: input.settingsUrl },
  });
}

export function passwordChangedMessage(input: { when: string; forgotPasswordUrl: string }): RenderedEmail {
  return renderLayout('Your Spur password changed', {
    heading: 'Your password changed',
    preheader: 'The password of your Spur account was changed.',
    paragraphs: [
      `On ${input.when} the password of your Spur account was changed and every other session was signed out.`,
      'If this was not you, reset your password now. The reset link comes to this address, and using it signs out every session, including the one that made this change.',
    ],
    action: { label: 'Reset your password', url: input.forgotPasswordUrl },
  });
}

export function newSignInMessage(input: { when: string; device: string; sessionsUrl: string }): RenderedEmail {
  return renderLayout('New sign-in to your Spur account', {
    heading: 'New sign-in',
    preheader: `Signed in on ${input.device}.`,
    paragraphs: [
      `Your Spur account was signed in to on ${input.when} from ${input.device}.`,
      'If this was you, there is nothing to do. If not, sign out that session and change your password.',
    ],
    action: { label: 'Review active sessions', url: input.sessionsUrl },
  });
}

export function twoFactorChangedMessage(input: { enabled: boolean; when: string; securityUrl: string }): RenderedEmail {
  const state = input.enabled ? 'enabled' : 'disabled';
  return renderLayout(`Two-factor authentication ${state} for your Spur account`, {
    heading: `Two-factor authentication ${state}`,
    preheader: `Two-factor authentication was ${state} on your Spur account.`,
    paragraphs: [
      `On ${input.when} two-factor authentication was ${state} for your Spur account.`,
      input.enabled
        ? 'Keep your recovery codes somewhere safe: each one signs you in once if you lose your authenticator.'
        : 'Your account is now protected by its password alone. If this was not you, change your password now.',
    ],
    action: { label: 'Security settings', url: input.securityUrl },
  });
}

export function existingAccountMessage(input: { loginUrl: string; resetUrl: string }): RenderedEmail {
  return renderLayout('You already have a Spur account', {
    heading: 'You already have an account',
    preheader: 'Someone tried to sign up for Spur with this address.',
    paragraphs: [
      'Someone, probably you, tried to sign up for Spur with this email address, which already has an account.',
      { text: 'If it was you, log in here:', url: input.loginUrl },
      { text: 'If you forgot your password, request a new one here:', url: input.resetUrl },
      'If this was not you, you can ignore this email; nothing changed.',
    ],
  });
}
