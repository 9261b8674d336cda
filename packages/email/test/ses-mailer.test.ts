import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@spur/config';
import { createLogger } from '@spur/runtime';
import { linkIn, startLocalSes, type LocalSes } from '@spur/testkit';
import {
  changeEmailMessage,
  createMailer,
  emailChangedMessage,
  existingAccountMessage,
  invitationMessage,
  newSignInMessage,
  passwordChangedMessage,
  resetPasswordMessage,
  twoFactorChangedMessage,
  verifyEmailMessage,
  type Mailer,
} from '../src/index.ts';

let ses: LocalSes;
let mailer: Mailer;
beforeAll(async () => {
  ses = await startLocalSes();
  const config = loadConfig(
    { NODE_ENV: 'test', SES_ENDPOINT: ses.endpoint, EMAIL_FROM: 'Spur Test <mail@spur.test>' },
    {},
  );
  mailer = createMailer(config, createLogger({ LOG_LEVEL: 'silent' }, 'email-test'));
});
afterAll(async () => {
  mailer?.close();
  await ses?.stop();
});

describe('SES mailer', () => {
  it('when each message is sent, then the local SES store holds it for the right recipient, with its subject, sender, both bodies and a working link', async () => {
    const app = 'https://app.spur.test';
    const cases = [
      [
        'verify@example.com',
        verifyEmailMessage({ verifyUrl: `${app}/verify-email?token=v1`, expiresInHours: 24 }),
        'Confirm your email address for Spur',
        [`${app}/verify-email?token=v1`],
      ],
      [
        'reset@example.com',
        resetPasswordMessage({ resetUrl: `${app}/reset-password?token=r1`, expiresInMinutes: 60 }),
        'Reset your Spur password',
        [`${app}/reset-password?token=r1`],
      ],
      [
        'invite@example.com',
        invitationMessage({
          organizationName: 'Acme',
          invitedBy: 'a@example.com',
          role: 'admin',
          acceptUrl: `${app}/invitations/accept?token=i1`,
          expiresInDays: 7,
        }),
        'You are invited to Acme on Spur',
        [`${app}/invitations/accept?token=i1`],
      ],
      [
        'change@example.com',
        changeEmailMessage({
          confirmUrl: `${app}/confirm-email?token=c1`,
          newEmail: 'change@example.com',
          expiresInHours: 24,
        }),
        'Confirm your new email address for Spur',
        [`${app}/confirm-email?token=c1`],
      ],
      [
        'signin@example.com',
        newSignInMessage({ when: 'now', device: 'Firefox on Linux', sessionsUrl: `${app}/account/security` }),
        'New sign-in to your Spur account',
        [`${app}/account/security`],
      ],
      [
        'mfa@example.com',
        twoFactorChangedMessage({ enabled: true, when: 'now', securityUrl: `${app}/account/security` }),
        'Two-factor authentication enabled for your Spur account',
        [`${app}/account/security`],
      ],
      [
        'mfa-off@example.com',
        twoFactorChangedMessage({ enabled: false, when: 'now', securityUrl: `${app}/account/security` }),
        'Two-factor authentication disabled for your Spur account',
        [`${app}/account/security`],
      ],
      [
        'old@example.com',
        emailChangedMessage({ newEmail: "o'hara@example.com", when: 'now', settingsUrl: `${app}/account/profile` }),
        'The email address of your Spur account changed',
        [`${app}/account/profile`],
      ],
      [
        'pw@example.com',
        passwordChangedMessage({ when: 'now', forgotPasswordUrl: `${app}/forgot-password` }),
        'Your Spur password changed',
        [`${app}/forgot-password`],
      ],
      // No button: two links, each after its sentence (checked below).
      [
        'existing@example.com',
        existingAccountMessage({ loginUrl: `${app}/login`, resetUrl: `${app}/forgot-password` }),
        'You already have a Spur account',
        [`${app}/login`, `${app}/forgot-password`],
      ],
    ] as const;
    for (const [to, message, subject, links] of cases) {
      const { messageId } = await mailer.send({ to, ...message });
      expect(messageId).not.toBe('');
      const stored = await ses.waitForEmail(to);
      expect(stored.subject).toBe(subject);
      expect(stored.from).toBe('Spur Test <mail@spur.test>');
      expect(stored.destination).toEqual({ to: [to], cc: [], bcc: [] });
      // Both bodies arrive exactly as rendered (UTF-8 included: the footer has an em dash).
      expect(stored.body).toEqual({ text: message.text, html: message.html });
      expect(stored.body.text).toContain('Spur — privacy-friendly web analytics.');
      expect(linkIn(stored, app)).toBe(links[0]);
      expect([...stored.body.html!.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual(links);
      // Every URL in the text part stands where a mail client's link detection cannot glue punctuation to it.
      for (const link of links)
        expect(stored.body.text).toMatch(new RegExp(`(^|: )${link.replace(/[.?]/g, '\\$&')}$`, 'm'));
    }
    const existing = (await ses.emailsTo('existing@example.com'))[0]!;
    expect(existing.body.text).toContain(
      `\n\nIf it was you, log in here:\n${app}/login\n\nIf you forgot your password, request a new one here:\n${app}/forgot-password\n\n`,
    );
    expect((await ses.emailsTo('old@example.com'))[0]!.body.html).toContain('o&#39;hara@example.com');
    expect((await ses.emails()).length).toBe(cases.length);
  });
});
