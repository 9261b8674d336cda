import { SESClient, SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { randomBytes } from 'node:crypto';
import type { Config } from '@spur/config';
import type { Logger } from '@spur/runtime';
import type { RenderedEmail } from './layout.ts';

export type OutgoingEmail = RenderedEmail & {
  to: string;
  /** Extra headers (List-Unsubscribe …); a message with headers goes out as raw MIME. */
  headers?: Record<string, string>;
};

/** SES refused the message for good (bad or suppressed address): retrying cannot help. */
export function isPermanentSendFailure(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? '';
  return ['MessageRejected', 'InvalidParameterValue', 'MailFromDomainNotVerifiedException'].includes(name);
}

export type Mailer = {
  send: (email: OutgoingEmail) => Promise<{ messageId: string }>;
  close: () => void;
};

type MailConfig = Pick<
  Config,
  'NODE_ENV' | 'EMAIL_FROM' | 'SES_REGION' | 'SES_ENDPOINT' | 'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY'
>;

/**
 * SES in production, and wherever SES_ENDPOINT points (the local SES stand-in in dev and tests).
 * In development without an endpoint, mail goes to the log so links can be copied from there.
 */
export function createMailer(config: MailConfig, log: Logger): Mailer {
  if (config.SES_ENDPOINT || config.NODE_ENV === 'production') return createSesMailer(config);
  return createLogMailer(log);
}

export function createSesMailer(config: MailConfig): Mailer {
  const explicit =
    config.AWS_ACCESS_KEY_ID && config.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: config.AWS_ACCESS_KEY_ID, secretAccessKey: config.AWS_SECRET_ACCESS_KEY }
      : undefined;
  const client = new SESClient({
    region: config.SES_REGION,
    ...(config.SES_ENDPOINT ? { endpoint: config.SES_ENDPOINT } : {}),
    // Without keys: the SDK's default chain (instance role, env) in production; the local stand-in
    // only wants some signature, so fixed dummy keys do.
    ...(explicit
      ? { credentials: explicit }
      : config.SES_ENDPOINT
        ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    maxAttempts: 3,
  });
  return {
    async send(email) {
      if (email.headers) {
        const raw = await client.send(
          new SendRawEmailCommand({
            Source: config.EMAIL_FROM,
            Destinations: [email.to],
            RawMessage: { Data: Buffer.from(buildMime(config.EMAIL_FROM, email)) },
          }),
        );
        return { messageId: raw.MessageId ?? '' };
      }
      const result = await client.send(
        new SendEmailCommand({
          Source: config.EMAIL_FROM,
          Destination: { ToAddresses: [email.to] },
          Message: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
          },
        }),
      );
      return { messageId: result.MessageId ?? '' };
    },
    close: () => client.destroy(),
  };
}

export function createLogMailer(log: Logger): Mailer {
  let count = 0;
  return {
    async send(email) {
      count += 1;
      log.info(
        {
          to: email.to,
          subject: email.subject,
          text: email.text,
          ...(email.headers ? { headers: email.headers } : {}),
        },
        'email (not sent: SES_ENDPOINT unset in development)',
      );
      return { messageId: `log-${count}` };
    },
    close: () => undefined,
  };
}

const encodeWord = (value: string) =>
  /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value).toString('base64')}?=`;
const base64Lines = (value: string) =>
  Buffer.from(value)
    .toString('base64')
    .replace(/.{1,76}/g, '$&\r\n');

/** A multipart/alternative message (text, then HTML) with the extra headers, CRLF line ends. */
export function buildMime(from: string, email: OutgoingEmail): string {
  const boundary = `spur-${randomBytes(12).toString('hex')}`;
  const headers = {
    From: from,
    To: email.to,
    Subject: encodeWord(email.subject),
    'MIME-Version': '1.0',
    ...email.headers,
    'Content-Type': `multipart/alternative; boundary="${boundary}"`,
  };
  const part = (type: string, body: string) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(body)}`;
  return [
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v.replace(/[\r\n]+/g, ' ')}`),
    '',
    part('text/plain', email.text),
    part('text/html', email.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
