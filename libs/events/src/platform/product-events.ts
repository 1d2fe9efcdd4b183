/**
 * Platform events of a platform product (stream `product-<product id>`): what a customer gets access
 * to on the platform (`magazine-print`), linked by support staff to the Stripe product that sells it.
 * The worker's product-import process follows ProductLinkedToStripe (docs/products.md).
 */

export const PRODUCT_STREAM_CATEGORY = 'product';

/** A platform product key: lower case, digits, `_` and `-`, at most 64 characters. */
export const PRODUCT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface ProductLinkedToStripe {
  productId: string;
  stripeProductId: string;
  /** The Connect account the Stripe product lives in; null: the platform's own account. */
  stripeAccount: string | null;
  /** The Stripe product it was linked to before (a relink), else null. */
  previousStripeProductId: string | null;
}

export interface ProductUnlinkedFromStripe {
  productId: string;
  stripeProductId: string;
  stripeAccount: string | null;
}

export const PRODUCT_EVENT_TYPES = ['ProductLinkedToStripe', 'ProductUnlinkedFromStripe'] as const;

export function productStream(productId: string): string {
  return `${PRODUCT_STREAM_CATEGORY}-${productId}`;
}
