import { describe, expect, it } from 'vitest';
import { buildMime } from '@spur/email';
import { formatDuration, periodLabel, renderReport } from './report-render.ts';

const data = {
  metrics: [{ key: 'visitors' as const, label: 'Visitors', value: 3, previous: 4, change: -0.25 }],
  days: [
    { day: '2026-10-19', visitors: 2 },
    { day: '2026-10-20', visitors: 0 },
  ],
  pages: [{ label: '/<b>', visitors: 3 }],
  sources: [],
  countries: [],
  events: [],
};
const period = { interval: 'weekly' as const, from: '2026-10-19', to: '2026-10-25', previousFrom: '', previousTo: '' };

describe('report rendering', () => {
  it('when a report is rendered, then the chart is table cells (no image, no script) and values are escaped', () => {
    const email = renderReport({
      siteName: 'a.example',
      period,
      data,
      dashboardUrl: 'https://app/x',
      viewUrl: 'https://api/v',
      unsubscribeUrl: 'https://api/u?a=1&b=2',
    });
    expect(email.subject).toBe('Weekly report for a.example: 19 Oct – 25 Oct 2026');
    expect(email.html).not.toMatch(/<img|<script|<svg/i);
    expect(email.html.match(/<td valign="bottom"/g)).toHaveLength(2);
    expect(email.html).toContain('height:80px;line-height:80px'); // the busiest day is full height
    expect(email.html).toContain('/&lt;b&gt;');
    expect(email.text).toContain('Visitors: 3 (−25 % vs 4)');
    expect(email.text).toContain('https://api/u?a=1&b=2');
  });

  it('when a message carries List-Unsubscribe headers, then the raw MIME has them and both bodies', () => {
    const raw = buildMime('Spur <no-reply@spur.localhost>', {
      to: 'a@example.com',
      subject: 'Weekly report – ü',
      html: '<p>hi</p>',
      text: 'hi',
      headers: { 'List-Unsubscribe': '<https://api/u>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    expect(raw).toContain('\r\nList-Unsubscribe: <https://api/u>\r\n');
    expect(raw).toContain('\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    expect(raw).toContain(`Subject: =?UTF-8?B?${Buffer.from('Weekly report – ü').toString('base64')}?=`);
    expect(raw).toContain(Buffer.from('<p>hi</p>').toString('base64'));
  });

  it('when periods and durations are labelled, then they read naturally', () => {
    expect(periodLabel({ interval: 'weekly', from: '2028-12-25', to: '2029-01-01' })).toBe('25 Dec 2028 – 1 Jan 2029');
    expect(periodLabel({ interval: 'monthly', from: '2026-02-01', to: '2026-02-28' })).toBe('February 2026');
    expect(periodLabel({ interval: 'daily', from: '2026-10-25', to: '2026-10-25' })).toBe('Sun 25 Oct 2026');
    expect([formatDuration(45), formatDuration(105), formatDuration(3725)]).toEqual(['45s', '1m 45s', '1h 2m 5s']);
  });
});
