/**
 * Billing refusals with the HTTP status they map to. 402 bodies name the reason (and the plan and
 * limit), so the dashboard can show why instead of a bare "payment required".
 */
export class BillingError extends Error {
  constructor(
    readonly status: 400 | 402 | 404 | 409 | 503,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BillingError';
  }
}

export const notFound = () => new BillingError(404, 'organization not found');
export const invalidChoice = (message: string, field: string) => new BillingError(400, message, { field });
