import { activeSchema, activeVisitors } from '../queries/active.stats.ts';
import { realtimeMinutes, realtimeSchema } from '../queries/realtime.stats.ts';
import { pageDurationSeries, sessionDurationSeries, timeSpentSchema } from '../queries/durations.stats.ts';
import { sessionDetails, sessionList, sessionSchema, sessionStepSchema } from '../queries/sessions.stats.ts';
import {
  hourSchema,
  hourStats,
  minuteSchema,
  minuteStats,
  weekdaySchema,
  weekdayStats,
} from '../queries/time.stats.ts';
import { growthSchema, growthStats, totalSchema, totalStats } from '../queries/totals.stats.ts';
import { overviewSchema, overviewStats, visitorSeries, visitorSeriesSchema } from '../queries/visitors.stats.ts';
import { endpoint } from './endpoint.ts';

/** Totals, time series, realtime and sessions. */
const tag = 'Visitors';

export const VISITOR_ENDPOINTS = [
  endpoint('overview', {
    tag,
    summary: 'Visitors and views with growth, the daily series and the team size (default: the last 30 days).',
    query: { period: false },
    response: overviewSchema,
    run: overviewStats,
    csvRows: (a: { visitors_time_series: Record<string, unknown>[] }) => a.visitors_time_series,
  }),
  endpoint('total', {
    tag,
    summary: 'Visitors, views, sessions, bounces, bounce and conversion rate, custom metric of the period.',
    response: totalSchema,
    run: totalStats,
  }),
  endpoint('visitor', {
    tag,
    summary: 'The same per day, week, month or year (`scale`), every bucket present.',
    row: visitorSeriesSchema,
    run: visitorSeries,
  }),
  endpoint('growth', {
    tag,
    summary: 'Change against the previous period of equal length (0.25 = +25 %).',
    response: growthSchema,
    run: growthStats,
  }),
  endpoint('active', {
    tag,
    summary: 'Visitors active in the last `start` seconds and the pages they are on.',
    query: { period: false },
    response: activeSchema,
    run: activeVisitors,
    csvRows: (a: { stats: Record<string, unknown>[] }) => a.stats,
  }),
  endpoint('active/minutes', {
    tag,
    summary:
      'Page views and visitors per minute of the last `start` seconds (default 600), and the sources of the visits active then.',
    query: { period: false },
    response: realtimeSchema,
    run: realtimeMinutes,
    csvRows: (a: { minutes: Record<string, unknown>[] }) => a.minutes,
  }),
  endpoint('hours', {
    tag,
    summary: 'Visitors by hour of day (0-23) in the time zone.',
    row: hourSchema,
    run: hourStats,
  }),
  endpoint('minutes', { tag, summary: 'Visitors by minute of the hour (0-59).', row: minuteSchema, run: minuteStats }),
  endpoint('weekdays', {
    tag,
    summary: 'Visitors by weekday (Monday = 0) and hour.',
    row: weekdaySchema,
    run: weekdayStats,
  }),
  endpoint('duration/session', {
    tag,
    summary: 'Average session duration per bucket.',
    row: timeSpentSchema,
    run: sessionDurationSeries,
  }),
  endpoint('duration/page', {
    tag,
    summary: 'Average time on page per bucket (filter by `path` for one page).',
    row: timeSpentSchema,
    run: pageDurationSeries,
  }),
  endpoint('session/list', { tag, summary: 'Visits, latest first.', row: sessionSchema, run: sessionList }),
  endpoint('session/details', {
    tag,
    summary: 'Page views and events of one visit in order.',
    query: { required: ['visitor_id', 'session_id'] },
    row: sessionStepSchema,
    run: sessionDetails,
  }),
];
