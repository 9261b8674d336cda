import { formatTime, type DropReason } from '../contract/ingest-context.ts';

/**
 * The row of a dropped request, appended whole to the stream (the `request` table, 30-day TTL).
 * Counted hits travel as members (hit-members.ts), assembled into rows by the flusher. Column names
 * match the ClickHouse tables (packages/storage/migrations/clickhouse).
 */
export function requestRow(input: {
  siteId: string;
  time: Date;
  reason: DropReason;
  hostname: string;
  path: string;
  userAgent: string;
  referrer: string;
}) {
  return {
    site_id: input.siteId,
    time: formatTime(input.time),
    reason: input.reason,
    hostname: input.hostname.slice(0, 253),
    path: input.path.slice(0, 2_048),
    user_agent: input.userAgent.slice(0, 1_000),
    referrer: input.referrer.slice(0, 2_048),
  };
}
