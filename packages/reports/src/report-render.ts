import { reportMessage, type RenderedEmail } from '@spur/email';
import type { ReportData, ReportMetric } from './report-data.ts';
import type { ReportPeriod } from './report-period.ts';

/** Turns report numbers into the message's strings (English, en-US digits). */
const number = (n: number) => n.toLocaleString('en-US');

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0 ? `${h}h ${m}m ${rest}s` : m > 0 ? `${m}m ${rest}s` : `${rest}s`;
}

export function formatValue(metric: Pick<ReportMetric, 'key'>, value: number): string {
  if (metric.key === 'bounce_rate') return `${(value * 100).toFixed(1)} %`;
  if (metric.key === 'visit_duration') return formatDuration(value);
  return number(value);
}

export function formatChange(metric: ReportMetric): string {
  const percent = Math.round(metric.change * 100);
  const sign = percent > 0 ? '+' : percent < 0 ? '−' : '±';
  return `${sign}${Math.abs(percent)} % vs ${formatValue(metric, metric.previous)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const parts = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  return { day: d.getUTCDate(), month: d.getUTCMonth(), year: d.getUTCFullYear(), weekday: WEEKDAYS[d.getUTCDay()]! };
};

export function periodLabel(period: Pick<ReportPeriod, 'interval' | 'from' | 'to'>): string {
  const a = parts(period.from);
  const b = parts(period.to);
  if (period.interval === 'daily') return `${a.weekday} ${a.day} ${MONTHS[a.month]} ${a.year}`;
  if (period.interval === 'monthly') return `${LONG_MONTHS[a.month]} ${a.year}`;
  const start = a.year === b.year ? `${a.day} ${MONTHS[a.month]}` : `${a.day} ${MONTHS[a.month]} ${a.year}`;
  return `${start} – ${b.day} ${MONTHS[b.month]} ${b.year}`;
}

const dayLabel = (interval: ReportPeriod['interval'], date: string) => {
  const p = parts(date);
  return interval === 'monthly' ? String(p.day) : `${p.weekday} ${p.day}`;
};

const INTERVAL_LABEL = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly' } as const;

export function renderReport(input: {
  siteName: string;
  period: ReportPeriod;
  data: ReportData;
  dashboardUrl: string;
  viewUrl: string;
  unsubscribeUrl: string;
}): RenderedEmail {
  const { data, period } = input;
  const visitors = (rows: { label: string; visitors: number }[]) =>
    rows.map((r) => ({ label: r.label, value: number(r.visitors) }));
  return reportMessage({
    siteName: input.siteName,
    intervalLabel: INTERVAL_LABEL[period.interval],
    periodLabel: periodLabel(period),
    metrics: data.metrics.map((m) => ({ label: m.label, value: formatValue(m, m.value), change: formatChange(m) })),
    days: data.days.map((d) => ({ label: dayLabel(period.interval, d.day), visitors: d.visitors })),
    tables: [
      { title: 'Top pages', column: 'Visitors', rows: visitors(data.pages) },
      { title: 'Top sources', column: 'Visitors', rows: visitors(data.sources) },
      { title: 'Top countries', column: 'Visitors', rows: visitors(data.countries) },
      {
        title: 'Top events',
        column: 'Visitors / count',
        rows: data.events.map((e) => ({ label: e.label, value: `${number(e.visitors)} / ${number(e.count)}` })),
      },
    ],
    dashboardUrl: input.dashboardUrl,
    viewUrl: input.viewUrl,
    unsubscribeUrl: input.unsubscribeUrl,
  });
}
