import express, { Router } from 'express';
import { handleStripeWebhook, type BillingContext } from '@spur/billing';
import { asHttpError } from '../billing/billing-gate.ts';

export const STRIPE_WEBHOOK_PATH = '/api/v1/billing/webhook';

/**
 * Stripe's webhook. The signature covers the exact bytes Stripe sent, so this route reads the raw
 * body and must be mounted before any JSON body parser (a parsed and re-serialized body no longer
 * matches). 400 on a bad signature; 500 (Stripe retries) when applying the event failed.
 */
export function stripeWebhookRouter(billing: BillingContext | undefined): Router {
  const router = Router();
  router.post(STRIPE_WEBHOOK_PATH, express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    if (!billing) return void res.status(404).json({ error: 'billing is not enabled on this server' });
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      res.json(await handleStripeWebhook(billing, body, req.get('stripe-signature')));
    } catch (error) {
      throw asHttpError(error);
    }
  });
  return router;
}
