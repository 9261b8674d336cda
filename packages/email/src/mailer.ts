import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { Config } from '@spur/config';
import type { Logger } from '@spur/runtime';
import type { RenderedEmail } from './layout.ts';

export type OutgoingEmail = RenderedEmail & { to: string };

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
        { to: email.to, subject: email.subject, text: email.text },
        'email (not sent: SES_ENDPOINT unset in development)',
      );
      return { messageId: `log-${count}` };
    },
    close: () => undefined,
  };
}
