import { z } from 'zod/mini';
import { request } from './http.ts';

/** Traffic alerts of a site and their delivery log (backend: alert.router.ts). */
export const alertSchema = z.looseObject({
  id: z.string(),
  kind: z.enum(['spike', 'drop']),
  threshold: z.number(),
  window_hours: z.number(),
  emails: z.array(z.string()),
  webhook_url: z.nullable(z.string()),
  webhook_format: z.enum(['json', 'slack', 'discord']),
  webhook_secret: z.string(),
  enabled: z.boolean(),
  state: z.enum(['normal', 'firing']),
  last_notice_at: z.nullable(z.string()),
  last_value: z.nullable(z.number()),
});
export type Alert = z.infer<typeof alertSchema>;

export const deliverySchema = z.looseObject({
  id: z.string(),
  notice: z.enum(['fired', 'recovered']),
  channel: z.enum(['email', 'webhook']),
  target: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  response_status: z.nullable(z.number()),
  error: z.nullable(z.string()),
  created_at: z.string(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export type AlertInput = {
  kind: 'spike' | 'drop';
  threshold: number;
  window_hours: number;
  emails: string[];
  webhook_url: string | null;
  webhook_format: 'json' | 'slack' | 'discord';
};

const id = encodeURIComponent;

export const alertsApi = {
  list: (siteId: string) => request('GET', `/api/v1/sites/${id(siteId)}/alerts`, { schema: z.array(alertSchema) }),
  create: (siteId: string, input: AlertInput) =>
    request('POST', `/api/v1/sites/${id(siteId)}/alerts`, { body: input, schema: alertSchema }),
  update: (siteId: string, alertId: string, patch: Partial<Omit<AlertInput, 'kind'>> & { enabled?: boolean }) =>
    request('PATCH', `/api/v1/sites/${id(siteId)}/alerts/${id(alertId)}`, { body: patch, schema: alertSchema }),
  remove: (siteId: string, alertId: string) => request('DELETE', `/api/v1/sites/${id(siteId)}/alerts/${id(alertId)}`),
  deliveries: (siteId: string, alertId: string) =>
    request('GET', `/api/v1/sites/${id(siteId)}/alert-deliveries`, {
      query: { alert: alertId },
      schema: z.array(deliverySchema),
    }),
};
