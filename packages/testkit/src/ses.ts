import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@spur/runtime';
import { spawnProcess, waitForHttp } from './process.ts';

/**
 * The local SES stand-in (aws-ses-v2-local) as a child process on a free port, with helpers to
 * read back what was "sent". Point SES_ENDPOINT at `endpoint`; any access key works.
 */
export type SentEmail = {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
};

export type LocalSes = {
  endpoint: string;
  emails: () => Promise<SentEmail[]>;
  /** Emails to one address, oldest first. */
  emailsTo: (address: string) => Promise<SentEmail[]>;
  /** Polls until an email to `address` matching `subject` arrives; returns the newest such. */
  waitForEmail: (address: string, subject?: RegExp, timeoutMs?: number) => Promise<SentEmail>;
  clear: () => Promise<void>;
  stop: () => Promise<void>;
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export async function startLocalSes(): Promise<LocalSes> {
  const port = await freePort();
  const child = spawnProcess(process.execPath, [
    path.join(root, 'node_modules/aws-ses-v2-local/dist/cli.js'),
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
  ]);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await child.waitFor(/server running/, 30_000);
    await waitForHttp(`${endpoint}/health-check`, { timeoutMs: 10_000 });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const emails = async () => ((await (await fetch(`${endpoint}/store`)).json()) as { emails: SentEmail[] }).emails;
  const emailsTo = async (address: string) =>
    (await emails()).filter((e) => e.destination.to.some((to) => to.toLowerCase() === address.toLowerCase()));
  return {
    endpoint,
    emails,
    emailsTo,
    async waitForEmail(address, subject, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = (await emailsTo(address)).filter((e) => !subject || subject.test(e.subject)).at(-1);
        if (match) return match;
        if (Date.now() > deadline)
          throw new Error(`no email to ${address}${subject ? ` matching ${subject}` : ''} arrived`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async clear() {
      await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    },
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([child.exited, new Promise((r) => setTimeout(r, 5_000))]);
      child.kill('SIGKILL');
    },
  };
}

/** The first link in an email's plain-text body that starts with `prefix`. */
export function linkIn(email: SentEmail, prefix: string): string {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}\\S*`).exec(email.body.text ?? '');
  if (!match) throw new Error(`no link starting with ${prefix} in email "${email.subject}"`);
  return match[0];
}
