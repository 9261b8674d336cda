import { createHmac } from 'node:crypto';
import type pg from 'pg';
import type { Config } from '@spur/config';
import { alertMessage, isPermanentSendFailure, type Mailer } from '@spur/email';
import type { Notice } from './alert-check.ts';
import { assertPublicTarget } from './webhook-target.ts';

/**
 * Each notice goes to every address and the webhook of its alert as one `alert_delivery` row
 * (the delivery log); the batches job delivering a row is retried with backoff until it works.
 */
export async function recordDeliveries(db: pg.Pool, notice: Notice): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `WITH a AS (SELECT id, emails, webhook_url FROM traffic_alert WHERE id = $1),
          targets AS (SELECT 'email' AS channel, unnest(a.emails) AS target FROM a
                      UNION ALL SELECT 'webhook', a.webhook_url FROM a WHERE a.webhook_url IS NOT NULL),
          inserted AS (
            INSERT INTO alert_delivery (alert_id, notice, notice_key, channel, target, status)
            SELECT $1, $2, $3, channel, target, 'pending' FROM targets
            ON CONFLICT (notice_key, channel, target) DO NOTHING RETURNING id)
     SELECT id::text FROM inserted
     UNION SELECT id::text FROM alert_delivery WHERE notice_key = $3`,
    [notice.alertId, notice.notice, notice.key],
  );
  return rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b));
}

type DeliveryRow = {
  id: string;
  notice: 'fired' | 'recovered';
  channel: 'email' | 'webhook';
  target: string;
  status: string;
  created_at: Date;
  alert_id: string;
  kind: 'spike' | 'drop';
  threshold: number;
  window_hours: number;
  webhook_format: 'json' | 'slack' | 'discord';
  webhook_secret: string;
  last_value: number | null;
  site_id: string;
  hostname: string;
  site_name: string;
};

export type DeliveryDeps = {
  db: pg.Pool;
  mailer: Mailer;
  config: Pick<Config, 'dashboardUrl' | 'ALERT_WEBHOOK_PRIVATE_TARGETS'>;
  /** Webhook requests give up after this long (default 10 s). */
  timeoutMs?: number;
};

/** HMAC-SHA256 over `<timestamp>.<body>` with the alert's secret, hex: the `X-Spur-Signature` value is `t=<ts>,v1=<hex>`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const windowLabel = (row: Pick<DeliveryRow, 'kind' | 'window_hours'>) =>
  row.kind === 'spike'
    ? 'the last 10 minutes'
    : row.window_hours === 1
      ? 'the last hour'
      : `the last ${row.window_hours} hours`;

export function webhookBody(row: DeliveryRow, dashboardUrl: string): string {
  const value = row.last_value ?? 0;
  const headline =
    row.notice === 'fired'
      ? `${row.kind === 'spike' ? 'Traffic spike' : 'Traffic drop'} on ${row.site_name}: ${value} visitors in ${windowLabel(row)}`
      : `${row.site_name} is back to normal: ${value} visitors in ${windowLabel(row)}`;
  if (row.webhook_format === 'slack') return JSON.stringify({ text: `${headline} <${dashboardUrl}|Open dashboard>` });
  if (row.webhook_format === 'discord') return JSON.stringify({ content: `${headline}\n${dashboardUrl}` });
  return JSON.stringify({
    type: 'traffic_alert',
    notice: row.notice,
    alert: { id: row.alert_id, kind: row.kind, threshold: row.threshold, window_hours: row.window_hours },
    site: { id: row.site_id, hostname: row.hostname, name: row.site_name },
    // The latest measured value (a retried delivery may carry a newer one than the notice).
    visitors: value,
    at: row.created_at.toISOString(),
    dashboard_url: dashboardUrl,
  });
}

/** Sends one delivery. Throws on a failure worth retrying (the job backs off and tries again). */
export async function deliver(deps: DeliveryDeps, deliveryId: string): Promise<{ status: string; attempts?: number }> {
  const { rows } = await deps.db.query<DeliveryRow>(
    `SELECT d.id::text, d.notice, d.channel, d.target, d.status, d.created_at, a.id::text AS alert_id, a.kind,
            a.threshold, a.window_hours, a.webhook_format, a.webhook_secret, a.last_value,
            s.id::text AS site_id, s.hostname, s.name AS site_name
     FROM alert_delivery d JOIN traffic_alert a ON a.id = d.alert_id JOIN site s ON s.id = a.site_id
     WHERE d.id = $1`,
    [deliveryId],
  );
  const row = rows[0];
  if (!row) return { status: 'gone' }; // the alert or site was deleted meanwhile
  if (row.status === 'delivered') return { status: 'delivered' };
  const dashboardUrl = `${deps.config.dashboardUrl}/sites/${row.site_id}`;
  const record = (status: string, responseStatus: number | null, error: string | null) =>
    deps.db.query(
      `UPDATE alert_delivery SET status = $2, attempts = attempts + 1, response_status = $3, error = $4,
              delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END
       WHERE id = $1 RETURNING attempts`,
      [row.id, status, responseStatus, error],
    );
  if (row.channel === 'email') {
    try {
      await deps.mailer.send({
        to: row.target,
        ...alertMessage({
          siteName: row.site_name,
          kind: row.kind,
          notice: row.notice,
          value: row.last_value ?? 0,
          threshold: row.threshold,
          windowLabel: windowLabel(row),
          dashboardUrl,
        }),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await record('failed', null, message);
      if (isPermanentSendFailure(error)) return { status: 'failed' };
      throw error;
    }
    await record('delivered', null, null);
    return { status: 'delivered' };
  }
  const body = webhookBody(row, dashboardUrl);
  const timestamp = Math.floor(Date.now() / 1000);
  let response: Response;
  if (!deps.config.ALERT_WEBHOOK_PRIVATE_TARGETS) {
    // A refused address stays refused: logged once, not retried.
    const refused = await assertPublicTarget(row.target).then(
      () => undefined,
      (error: Error) => error.message,
    );
    if (refused) {
      await record('failed', null, refused);
      return { status: 'failed' };
    }
  }
  try {
    response = await fetch(row.target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Spur-Alerts/1',
        'x-spur-delivery': row.id,
        'x-spur-signature': signWebhook(row.webhook_secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
  } catch (error) {
    await record('failed', null, error instanceof Error ? error.message : String(error));
    throw error;
  }
  if (response.status < 200 || response.status >= 300) {
    await record('failed', response.status, `webhook answered ${response.status}`);
    throw new Error(`webhook ${row.target} answered ${response.status}`);
  }
  const { rows: updated } = await record('delivered', response.status, null);
  return { status: 'delivered', attempts: (updated[0] as { attempts: number }).attempts };
}
