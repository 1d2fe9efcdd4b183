import Stripe from 'stripe';

/**
 * A failure that passes, so the same request may succeed if sent again: a 429, a 5xx, a network
 * error or timeout. Anything else is Stripe's answer to the request and is final.
 */
export function isPassingStripeError(error: unknown): boolean {
  if (error instanceof Stripe.errors.StripeRateLimitError) return true;
  if (error instanceof Stripe.errors.StripeConnectionError) return true;
  if (error instanceof Stripe.errors.StripeError) return (error.statusCode ?? 0) >= 500;
  return false;
}
