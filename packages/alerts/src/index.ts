// Traffic alerts: settings per site (API), the 5-minute check, and delivery by email and signed webhook.
export {
  listAlerts,
  createAlert,
  updateAlert,
  deleteAlert,
  listDeliveries,
  alertInputSchema,
  type AlertView,
  type DeliveryView,
} from './alert-settings.service.ts';
export { checkAlerts, visitorsBetween, SPIKE_WINDOW_MS, NOTICE_GAP_MS, type Notice } from './alert-check.ts';
export { recordDeliveries, deliver, signWebhook, webhookBody, type DeliveryDeps } from './alert-delivery.ts';
export { assertPublicTarget, isInternalAddress } from './webhook-target.ts';
