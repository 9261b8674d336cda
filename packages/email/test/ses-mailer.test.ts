import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@spur/config';
import { createLogger } from '@spur/runtime';
import { linkIn, startLocalSes, type LocalSes } from '@spur/testkit';
import {
  changeEmailMessage,
  createMailer,
  invitationMessage,
  newSignInMessage,
  resetPasswordMessage,
  twoFactorChangedMessage,
  verifyEmailMessage,
  type Mailer,
} from '../src/index.ts';

let ses: LocalSes;
let mailer: Mailer;
beforeAll(async () => {
  ses = await startLocalSes();
  const config = loadConfig({ NODE_ENV: 'test', SES_ENDPOINT: ses.endpoint, EMAIL_FROM: 'Spur Test <mail@spur.test>' }, {});
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
      ['verify@example.com', verifyEmailMessage({ verifyUrl: `${app}/verify-email?token=v1`, expiresInHours: 24 }), 'Confirm your email address for Spur', `${app}/verify-email?token=v1`],
      ['reset@example.com', resetPasswordMessage({ resetUrl: `${app}/reset-password?token=r1`, expiresInMinutes: 60 }), 'Reset your Spur password', `${app}/reset-password?token=r1`],
      ['invite@example.com', invitationMessage({ organizationName: 'Acme', invitedBy: 'a@example.com', role: 'admin', acceptUrl: `${app}/invitations/accept?token=i1`, expiresInDays: 7 }), 'You are invited to Acme on Spur', `${app}/invitations/accept?token=i1`],
      ['change@example.com', changeEmailMessage({ confirmUrl: `${app}/confirm-email?token=c1`, newEmail: 'change@example.com', expiresInHours: 24 }), 'Confirm your new email address for Spur', `${app}/confirm-email?token=c1`],
      ['signin@example.com', newSignInMessage({ when: 'now', device: 'Firefox on Linux', sessionsUrl: `${app}/account/security` }), 'New sign-in to your Spur account', `${app}/account/security`],
      ['mfa@example.com', twoFactorChangedMessage({ enabled: true, when: 'now', securityUrl: `${app}/account/security` }), 'Two-factor authentication enabled for your Spur account', `${app}/account/security`],
    ] as const;
    for (const [to, message, subject, link] of cases) {
      const { messageId } = await mailer.send({ to, ...message });
      expect(messageId).not.toBe('');
      const stored = await ses.waitForEmail(to);
      expect(stored.subject).toBe(subject);
      expect(stored.from).toBe('Spur Test <mail@spur.test>');
      expect(stored.destination.to).toEqual([to]);
      expect(linkIn(stored, app)).toBe(link);
      expect(stored.body.html).toContain(`href="${link}"`);
    }
    expect((await ses.emails()).length).toBe(cases.length);
  });
});
