import type { PostalAddress } from './customer-events';

/**
 * Platform events of the subscription aggregate (stream `subscription-<id>`, where the id is the
 * platform's uuid for subscriptions it started, or the Stripe `sub_` id for one that came from Stripe).
 */

export const SUBSCRIPTION_STREAM_CATEGORY = 'subscription';

/** How the subscription is paid: Stripe `collection_method` charge_automatically, or send_invoice. */
export type PaymentCollection = 'card_on_file' | 'send_invoice' | 'offline';

/** The recurring price as the catalog knew it when the command was decided. */
export interface PricedItem {
  priceId: string;
  productId: string | null;
  unitAmount: number | null;
  currency: string;
  interval: string | null;
  intervalCount: number | null;
}

/** Stripe subscription metadata keys through which platform facts travel (and echo back). */
export const SUBSCRIPTION_METADATA = {
  subscriptionId: 'ledgerline_subscription_id',
  customerId: 'ledgerline_customer_id',
  giftRecipient: 'gift_recipient',
  shipmentsRemaining: 'shipments_remaining',
  /** JSON of a PostalAddress. */
  shippingAddress: 'ledgerline_shipping_address',
  /** `offline` when invoices are settled outside Stripe. */
  payment: 'ledgerline_payment',
} as const;

export interface SubscriptionStarted {
  subscriptionId: string;
  customerId: string;
  /** The customer's Stripe id when it was already linked; else the process manager looks it up. */
  customerStripeId: string | null;
  item: PricedItem;
  couponId: string | null;
  /** Days of trial; 0 or null: none. */
  trialDays: number | null;
  collection: PaymentCollection;
  /** For send_invoice and offline: days the customer has to pay an invoice. */
  daysUntilDue: number | null;
  giftRecipientId: string | null;
  shippingAddress: PostalAddress | null;
  shipmentsRemaining: number | null;
  /** Set when this subscription replaces another in a plan change. */
  replacesSubscriptionId: string | null;
}

export interface SubscriptionAddressChanged {
  subscriptionId: string;
  /** The platform customer it belongs to, when known (for the activity feed). */
  customerId: string | null;
  shippingAddress: PostalAddress;
}

export interface SubscriptionShipmentsRemainingChanged {
  subscriptionId: string;
  /** The platform customer it belongs to, when known (for the activity feed). */
  customerId: string | null;
  shipmentsRemaining: number;
  previous: number | null;
}

export interface SubscriptionCancellationRequested {
  subscriptionId: string;
  /** The platform customer it belongs to, when known (for the activity feed). */
  customerId: string | null;
  /** `now`: cancel immediately; `period_end`: at the end of the current period. */
  when: 'now' | 'period_end';
  /**
   * Schema version 2. When the cancellation takes effect: the command's time for `now`; for
   * `period_end` the period end as the platform knew it then, null when it did not know one
   * (nor do version 1 events, which left it implicit: see libs/events/src/schema).
   */
  effectiveAt: string | null;
  reason: string | null;
}

export type PlanChangeRefundPolicy = 'prorated' | 'full';

export interface SubscriptionPlanChanged {
  subscriptionId: string;
  customerId: string;
  newSubscriptionId: string;
  fromPriceId: string | null;
  toPriceId: string;
  refundPolicy: PlanChangeRefundPolicy;
  /** Credited to the customer's balance (minor units), which then pays the new subscription. */
  creditAmount: number;
  currency: string;
}

export interface SubscriptionRenewalPrepaid {
  subscriptionId: string;
  customerId: string;
  /** Charged to the card on file now and credited to the customer's balance (minor units). */
  amount: number;
  currency: string;
  /** The renewal this pays for: the end of the current period. */
  renewsAt: string | null;
}

export interface SubscriptionLinkedToStripe {
  subscriptionId: string;
  /** The platform customer it belongs to, when known (for the activity feed). */
  customerId: string | null;
  stripeSubscriptionId: string;
  commandEventId: string;
}

export const SUBSCRIPTION_EVENT_TYPES = [
  'SubscriptionStarted',
  'SubscriptionAddressChanged',
  'SubscriptionShipmentsRemainingChanged',
  'SubscriptionCancellationRequested',
  'SubscriptionPlanChanged',
  'SubscriptionRenewalPrepaid',
  'SubscriptionLinkedToStripe',
] as const;

export function subscriptionStream(subscriptionId: string): string {
  return `${SUBSCRIPTION_STREAM_CATEGORY}-${subscriptionId}`;
}
