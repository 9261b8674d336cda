import { renderLayout, type RenderedEmail } from '../layout.ts';

/** A traffic alert notice: a spike or drop began, or traffic is back to normal. */
export function alertMessage(input: {
  siteName: string;
  kind: 'spike' | 'drop';
  notice: 'fired' | 'recovered';
  value: number;
  threshold: number;
  windowLabel: string;
  dashboardUrl: string;
}): RenderedEmail {
  const what = input.kind === 'spike' ? 'Traffic spike' : 'Traffic drop';
  const subject =
    input.notice === 'fired'
      ? `${what} on ${input.siteName}: ${input.value} visitors in ${input.windowLabel}`
      : `${input.siteName} is back to normal (${input.value} visitors in ${input.windowLabel})`;
  const rule =
    input.kind === 'spike'
      ? `at least ${input.threshold} visitors in ${input.windowLabel}`
      : `fewer than ${input.threshold} visitors in ${input.windowLabel}`;
  return renderLayout(subject, {
    heading: input.notice === 'fired' ? `${what} on ${input.siteName}` : `${input.siteName} is back to normal`,
    preheader: subject,
    paragraphs: [
      input.notice === 'fired'
        ? `${input.siteName} had ${input.value} visitors in ${input.windowLabel}. Your alert fires at ${rule}.`
        : `${input.siteName} had ${input.value} visitors in ${input.windowLabel}, no longer ${rule}.`,
      'You get at most one notice per alert every 12 hours, and one when traffic is back to normal.',
    ],
    action: { label: 'Open the dashboard', url: input.dashboardUrl },
  });
}
