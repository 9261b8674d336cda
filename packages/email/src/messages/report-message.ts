import { escapeHtml, renderLayout, type RenderedEmail } from '../layout.ts';

/**
 * The email report: key figures with their change, a visitors-per-day bar chart made of table
 * cells (mail clients run no script and many block images, so no <img>, no SVG), and the top
 * rows of pages, sources, countries and events. Values arrive formatted; everything is escaped.
 */
export type ReportMessageInput = {
  siteName: string;
  intervalLabel: string;
  periodLabel: string;
  metrics: { label: string; value: string; change: string }[];
  days: { label: string; visitors: number }[];
  tables: { title: string; column: string; rows: { label: string; value: string }[] }[];
  dashboardUrl: string;
  viewUrl: string;
  unsubscribeUrl: string;
};

const CHART_HEIGHT = 80;
const cell = 'padding:6px 8px;border-bottom:1px solid #e4e7eb;font-size:14px;color:#1f2933';

function metricsBlock(input: ReportMessageInput) {
  const html = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:0 0 24px">
<tr>${input.metrics
    .map(
      (m) =>
        `<td style="padding:8px;vertical-align:top"><div style="font-size:12px;color:#52606d">${escapeHtml(m.label)}</div><div style="font-size:20px;font-weight:700;color:#1f2933">${escapeHtml(m.value)}</div><div style="font-size:12px;color:#52606d">${escapeHtml(m.change)}</div></td>`,
    )
    .join('')}</tr></table>`;
  const text = input.metrics.map((m) => `${m.label}: ${m.value} (${m.change})`).join('\n');
  return { html, text };
}

function chartBlock(input: ReportMessageInput) {
  const max = Math.max(1, ...input.days.map((d) => d.visitors));
  const bars = input.days
    .map((d) => {
      const height = Math.max(d.visitors > 0 ? 2 : 0, Math.round((d.visitors / max) * CHART_HEIGHT));
      const title = escapeHtml(`${d.label}: ${d.visitors} visitors`);
      return `<td valign="bottom" align="center" title="${title}" style="padding:0 1px;height:${CHART_HEIGHT}px"><div style="font-size:10px;color:#52606d">${d.visitors}</div><div style="height:${height}px;line-height:${height}px;font-size:1px;background:#3451b2;border-radius:2px 2px 0 0">&nbsp;</div></td>`;
    })
    .join('');
  const labels = input.days
    .map((d) => `<td align="center" style="font-size:10px;color:#7b8794;padding-top:4px">${escapeHtml(d.label)}</td>`)
    .join('');
  const html = `<p style="margin:0 0 8px;font-size:15px;font-weight:600;color:#1f2933">Visitors per day</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:0 0 24px;table-layout:fixed"><tr>${bars}</tr><tr>${labels}</tr></table>`;
  const width = 30;
  const text = [
    'Visitors per day',
    ...input.days.map(
      (d) => `${d.label.padEnd(10)} ${'#'.repeat(Math.round((d.visitors / max) * width)).padEnd(width)} ${d.visitors}`,
    ),
  ].join('\n');
  return { html, text };
}

function tableBlock(table: ReportMessageInput['tables'][number]) {
  const rows =
    table.rows.length === 0
      ? `<tr><td colspan="2" style="${cell};color:#7b8794">None in this period</td></tr>`
      : table.rows
          .map(
            (r) =>
              `<tr><td style="${cell};word-break:break-all">${escapeHtml(r.label)}</td><td align="right" style="${cell}">${escapeHtml(r.value)}</td></tr>`,
          )
          .join('');
  const html = `<p style="margin:0 0 8px;font-size:15px;font-weight:600;color:#1f2933">${escapeHtml(table.title)}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:0 0 24px"><tr><td style="${cell};font-size:12px;color:#52606d"></td><td align="right" style="${cell};font-size:12px;color:#52606d">${escapeHtml(table.column)}</td></tr>${rows}</table>`;
  const text = [
    `${table.title} (${table.column})`,
    ...(table.rows.length === 0 ? ['None in this period'] : table.rows.map((r) => `  ${r.label}: ${r.value}`)),
  ].join('\n');
  return { html, text };
}

export function reportMessage(input: ReportMessageInput): RenderedEmail {
  return renderLayout(`${input.intervalLabel} report for ${input.siteName}: ${input.periodLabel}`, {
    heading: `${input.siteName}: ${input.periodLabel}`,
    preheader: input.metrics.map((m) => `${m.label} ${m.value}`).join(' · '),
    paragraphs: [
      `Your ${input.intervalLabel.toLowerCase()} Spur report for ${input.siteName}, ${input.periodLabel}, compared with the period before.`,
      { text: 'Trouble reading this email? View it in your browser:', url: input.viewUrl },
    ],
    blocks: [metricsBlock(input), chartBlock(input), ...input.tables.map(tableBlock)],
    action: { label: 'Open the dashboard for this period', url: input.dashboardUrl },
    footer: {
      text: `You receive this ${input.intervalLabel.toLowerCase()} report because it was set up for this address in Spur. Unsubscribe with one click:`,
      url: input.unsubscribeUrl,
    },
  });
}
