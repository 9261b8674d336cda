export {
  StripeTestServer,
  startStripeTestServer,
  type DeliveryOptions,
  type StripeCall,
  type WebhookTarget,
} from './stripe-server.ts';
export { StripeState, StripeApiError, API_VERSION } from './stripe-state.ts';
export { addMonths, type FakeEvent, type FakeSubscription, type FakePrice, type FakeInvoice } from './objects.ts';
export { parseForm } from './form.ts';
