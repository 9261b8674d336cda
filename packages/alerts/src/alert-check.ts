import type pg from 'pg';
import type { StatsDeps } from '@spur/stats';

/**
 * Evaluates every enabled alert as of `now` (the check's slot time, so a late or repeated check
 * judges the same window). Spike: visitors in the last 10 minutes at or above the threshold.
 * Drop: visitors in the last `window_hours` below it. A rule entering "firing" sends a notice
 * unless one went out in the last 12 hours; leaving it sends "back to normal" if that episode
 * was announced. Returns the notices to deliver.
 */
export const SPIKE_WINDOW_MS = 10 * 60_000;
export const NOTICE_GAP_MS = 12 * 3600_000;

export type Notice = {
  alertId: string;
  notice: 'fired' | 'recovered';
  /** The job_run slot and delivery key: one per alert, notice and instant. */
  key: string;
  value: number;
};

type AlertRow = {
  id: string;
  site_id: string;
  kind: 'spike' | 'drop';
  threshold: number;
  window_hours: number;
  state: 'normal' | 'firing';
  state_since: Date;
  last_notice_at: Date | null;
  /** The sites whose visitors count: the alert's site, or a rollup view's member sites. */
  site_ids: string[];
};

export async function visitorsBetween(
  clickhouse: StatsDeps['clickhouse'],
  siteIds: string | readonly string[],
  from: Date,
  to: Date,
): Promise<number> {
  const result = await clickhouse.query({
    query: `SELECT uniqExact(visitor_id) AS n FROM page_view
            WHERE site_id IN {sites:Array(UInt64)} AND time >= {from:DateTime64(3, 'UTC')} AND time < {to:DateTime64(3, 'UTC')}`,
    query_params: {
      sites: (typeof siteIds === 'string' ? [siteIds] : siteIds).map(Number),
      from: from.getTime() / 1000,
      to: to.getTime() / 1000,
    },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row?.n ?? 0);
}

export async function checkAlerts(
  deps: { db: pg.Pool; clickhouse: StatsDeps['clickhouse'] },
  now: Date,
): Promise<Notice[]> {
  const { rows } = await deps.db.query<AlertRow>(
    `SELECT a.id::text, a.site_id::text, a.kind, a.threshold, a.window_hours, a.state, a.state_since, a.last_notice_at,
            CASE WHEN s.kind = 'rollup'
                 THEN ARRAY(SELECT m.site_id::text FROM site_rollup_member m WHERE m.rollup_id = s.id)
                 ELSE ARRAY[s.id::text] END AS site_ids
     FROM traffic_alert a JOIN site s ON s.id = a.site_id WHERE a.enabled ORDER BY a.id`,
  );
  const notices: Notice[] = [];
  for (const alert of rows) {
    const windowMs = alert.kind === 'spike' ? SPIKE_WINDOW_MS : alert.window_hours * 3600_000;
    const value = await visitorsBetween(deps.clickhouse, alert.site_ids, new Date(now.getTime() - windowMs), now);
    const breached = alert.kind === 'spike' ? value >= alert.threshold : value < alert.threshold;
    let notice: Notice['notice'] | undefined;
    if (breached && alert.state === 'normal') {
      const quiet = !alert.last_notice_at || now.getTime() - alert.last_notice_at.getTime() >= NOTICE_GAP_MS;
      if (quiet) notice = 'fired';
    } else if (!breached && alert.state === 'firing') {
      // Announce recovery only of an episode that was announced.
      if (alert.last_notice_at && alert.last_notice_at >= alert.state_since) notice = 'recovered';
    }
    const changed = breached !== (alert.state === 'firing');
    // The state and the notice's time change together, guarded by the state read above.
    await deps.db.query(
      `UPDATE traffic_alert SET last_value = $2,
              state = CASE WHEN $3 THEN $4 ELSE state END,
              state_since = CASE WHEN $3 THEN $5 ELSE state_since END,
              last_notice_at = CASE WHEN $6 THEN $5 ELSE last_notice_at END
       WHERE id = $1 AND state = $7`,
      [alert.id, value, changed, breached ? 'firing' : 'normal', now, notice === 'fired', alert.state],
    );
    if (notice) notices.push({ alertId: alert.id, notice, key: `${alert.id}:${notice}:${now.toISOString()}`, value });
  }
  return notices;
}
