import { describe, expect, it } from 'vitest';
import { renderLayout } from './layout.ts';
import { invitationMessage } from './messages/organization-messages.ts';
import { resetPasswordMessage } from './messages/account-messages.ts';

describe('email layout', () => {
  it('when a message has an action, then HTML and plain text both carry the same link and heading', () => {
    const email = resetPasswordMessage({
      resetUrl: 'https://app.spur.example/reset-password?token=abc&x=1',
      expiresInMinutes: 60,
    });
    expect(email.subject).toBe('Reset your Spur password');
    expect(email.html).toContain('<h1 style="margin:0 0 16px;font-size:22px;color:#1f2933">Reset your password</h1>');
    expect(email.html).toContain('href="https://app.spur.example/reset-password?token=abc&amp;x=1"');
    expect(email.text).toContain('Choose a new password: https://app.spur.example/reset-password?token=abc&x=1');
    expect(email.text).toContain('This link works once and expires in 60 minutes.');
    expect(email.text.endsWith('You receive this email because of activity on your Spur account.\n')).toBe(true);
  });

  it('when user-controlled text contains markup, then the HTML escapes it', () => {
    const email = invitationMessage({
      organizationName: '<img src=x onerror=alert(1)>',
      invitedBy: 'mallory@example.com',
      role: 'viewer',
      acceptUrl: 'https://app.spur.example/invitations/accept?token=t',
      expiresInDays: 7,
    });
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(email.text).toContain('<img src=x onerror=alert(1)>');
  });

  it('when a paragraph carries a link, then HTML makes it a real link and plain text puts the URL alone on the next line', () => {
    const url = 'https://app.spur.example/login?next=/a&b=1';
    const email = renderLayout('L', {
      heading: 'L',
      preheader: 'l',
      paragraphs: ['First.', { text: 'Log in here:', url }, 'Last.'],
    });
    expect(email.html).toContain(
      '>Log in here:<br><a href="https://app.spur.example/login?next=/a&amp;b=1" style="color:#3451b2;word-break:break-all">https://app.spur.example/login?next=/a&amp;b=1</a></p>',
    );
    expect(email.text).toContain(`\n\nFirst.\n\nLog in here:\n${url}\n\nLast.\n\n`);
  });

  it('every message shares the layout', () => {
    const a = renderLayout('A', { heading: 'A', preheader: 'a', paragraphs: ['one'] });
    const b = renderLayout('B', { heading: 'B', preheader: 'b', paragraphs: ['two'] });
    const skeleton = (html: string) => html.replace(/>[^<]*</g, '><');
    expect(skeleton(a.html)).toBe(skeleton(b.html));
  });
});
