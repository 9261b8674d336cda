// Email reports: which are due, their numbers (through the statistics engine), rendering,
// delivery with a stored "view in browser" copy, and signed one-click unsubscribe.
export {
  duePeriod,
  finishedPeriod,
  wallClock,
  daysOf,
  addDays,
  SEND_HOUR,
  type ReportInterval,
  type ReportPeriod,
} from './report-period.ts';
export { loadReportData, growth, type ReportData, type ReportMetric } from './report-data.ts';
export { renderReport, formatValue, formatChange, formatDuration, periodLabel } from './report-render.ts';
export {
  dueReports,
  sendEmailReport,
  reportCopyHtml,
  unsubscribeReport,
  periodSchema,
  type ReportDeps,
  type SendOutcome,
} from './report.service.ts';
export { reportSigningKey, signUnsubscribe, verifyUnsubscribe, unsubscribeUrl } from './unsubscribe-token.ts';
