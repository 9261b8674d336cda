import { describe, expect, it } from 'vitest';
import { parseForm } from './form.ts';

describe('Stripe form bodies', () => {
  it('when the stripe client encodes nested params, then the server reads them back as sent', () => {
    // As stripe-node 23 writes it (utils.js stringifyRequestData): indexed arrays, unencoded brackets.
    const body =
      'mode=subscription&line_items[0][price]=price_1&line_items[0][quantity]=1&metadata[organization_id]=42' +
      '&subscription_data[trial_end]=1700000000&expand[0]=latest_invoice&note=a%20b%26c';
    expect(parseForm(body)).toEqual({
      mode: 'subscription',
      line_items: [{ price: 'price_1', quantity: '1' }],
      metadata: { organization_id: '42' },
      subscription_data: { trial_end: '1700000000' },
      expand: ['latest_invoice'],
      note: 'a b&c',
    });
  });
});
