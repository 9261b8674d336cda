/**
 * One layout for every message, rendered twice: HTML for mail clients, plain text for the rest
 * (and for spam filters, which distrust HTML-only mail). Inputs are plain strings; everything is
 * escaped here, so message files never build HTML by hand.
 */
export type EmailContent = {
  /** Also the HTML <title> and the heading. */
  heading: string;
  /** Shown by clients next to the subject. */
  preheader: string;
  paragraphs: Paragraph[];
  action?: { label: string; url: string };
  /** Small print under the action, e.g. "This link expires in 24 hours". */
  note?: string;
  /**
   * Prebuilt sections after the paragraphs (a report's tables and chart), each in both forms.
   * Their HTML is inserted as is: the message building them escapes every value it puts in.
   */
  blocks?: { html: string; text: string }[];
  /** Replaces the default footer line (e.g. why a report arrives and how to stop it). */
  footer?: Paragraph;
};

/**
 * A sentence with a link after it. Never put a URL inside a sentence: mail clients' link
 * detection takes a following "," or "." as part of the address. In HTML the URL is a real link;
 * in plain text it stands alone on the next line.
 */
export type LinkParagraph = { text: string; url: string };
export type Paragraph = string | LinkParagraph;

export type RenderedEmail = { subject: string; html: string; text: string };

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const FOOTER =
  'Spur — privacy-friendly web analytics. You receive this email because of activity on your Spur account.';

function paragraphHtml(p: Paragraph): string {
  if (typeof p === 'string') return escapeHtml(p);
  const url = escapeHtml(p.url);
  return `${escapeHtml(p.text)}<br><a href="${url}" style="color:#3451b2;word-break:break-all">${url}</a>`;
}

export function renderLayout(subject: string, content: EmailContent): RenderedEmail {
  const paragraphs = content.paragraphs
    .map((p) => `<p style="margin:0 0 16px;font-size:15px;line-height:1.5;color:#1f2933">${paragraphHtml(p)}</p>`)
    .join('\n');
  const action = content.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="display:inline-block;padding:12px 20px;background:#3451b2;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600">${escapeHtml(content.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#52606d">Or paste this link into your browser: <br><span style="word-break:break-all">${escapeHtml(content.action.url)}</span></p>`
    : '';
  const note = content.note
    ? `<p style="margin:0 0 16px;font-size:13px;color:#52606d">${escapeHtml(content.note)}</p>`
    : '';
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(content.heading)}</title></head>
<body style="margin:0;padding:0;background:#f5f7fa;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif">
<span style="display:none;max-height:0;overflow:hidden">${escapeHtml(content.preheader)}</span>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:32px 16px">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;padding:32px">
<tr><td>
<p style="margin:0 0 24px;font-size:18px;font-weight:700;color:#3451b2">Spur</p>
<h1 style="margin:0 0 16px;font-size:22px;color:#1f2933">${escapeHtml(content.heading)}</h1>
${paragraphs}
${(content.blocks ?? []).map((b) => b.html).join('\n')}
${action}
${note}
</td></tr></table>
<p style="margin:16px 0 0;font-size:12px;color:#7b8794;max-width:560px">${content.footer ? paragraphHtml(content.footer) : escapeHtml(FOOTER)}</p>
</td></tr></table>
</body>
</html>`;
  const text = [
    'Spur',
    '',
    content.heading,
    '='.repeat(Math.min(content.heading.length, 60)),
    '',
    ...content.paragraphs.flatMap((p) => (typeof p === 'string' ? [p, ''] : [p.text, p.url, ''])),
    ...(content.blocks ?? []).flatMap((b) => [b.text, '']),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ''] : []),
    ...(content.note ? [content.note, ''] : []),
    '--',
    ...(content.footer
      ? typeof content.footer === 'string'
        ? [content.footer]
        : [content.footer.text, content.footer.url]
      : [FOOTER]),
    '',
  ].join('\n');
  return { subject, html, text };
}
