import { ref } from 'vue';

/**
 * Whether this server bills (STRIPE_SECRET_KEY set), as the billing banners last learned it for an
 * owner or admin. Until then, and on self-hosted servers, no billing link is shown.
 */
export const billingAvailable = ref(false);
