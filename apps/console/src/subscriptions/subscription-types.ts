import type { PostalAddress, SubscriptionItem } from '../api/api-shapes';

/**
 * The API's answers the subscription pages read, as the read models write them
 * (libs/read-models: subscriptions.table.ts, subscriptions.query.ts, catalog.query.ts); shapes other
 * areas read too are in ../api/api-shapes.ts.
 */

export const SUBSCRIPTION_STATUSES = [
  'pending',
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'paused',
  'canceled',
] as const;

export type Collection = 'card_on_file' | 'send_invoice' | 'offline';

/** One change of status and the Stripe event that caused it. */
export interface StatusChange {
  from: string | null;
  to: string;
  at: string;
  eventType: string;
  stripeEventId: string;
  storeEventId: string;
}

/** What the platform asked of Stripe (written before Stripe confirms it). */
export interface CancellationRequest {
  when: 'now' | 'period_end';
  effectiveAt: string | null;
  /** `plan_change` when a plan change replaced the subscription. */
  reason: string | null;
  requestedAt: string | null;
  actor: string | null;
}

export interface Discount {
  id: string | null;
  coupon: {
    id: string | null;
    name?: string | null;
    percentOff?: number | null;
    amountOff?: number | null;
    currency?: string | null;
  } | null;
}

export interface Subscription {
  id: string;
  stripeId: string | null;
  status: string | null;
  customerId: string | null;
  customerStripeId: string | null;
  customer: { id: string; name: string | null; email: string | null } | null;
  items: SubscriptionItem[] | null;
  currency: string | null;
  trialStart: string | null;
  trialEnd: string | null;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean | null;
  cancelAt: string | null;
  canceledAt: string | null;
  endedAt: string | null;
  collectionMethod: string | null;
  discount: Discount | null;
  giftRecipient: string | null;
  shipmentsRemaining: number | null;
  shippingAddress: PostalAddress | null;
  cancellationRequested: CancellationRequest | null;
  replacesSubscriptionId: string | null;
  /** Only on GET /subscriptions/:id. */
  replacedBy?: string | null;
  metadata: Record<string, string> | null;
  stripeCreated: string | null;
  lastEventAt: string | null;
  /** Only on GET /subscriptions/:id. */
  history?: StatusChange[];
}

export interface PriceOption {
  id: string;
  object: 'price' | 'plan';
  productId: string | null;
  productName: string | null;
  nickname: string | null;
  currency: string | null;
  unitAmount: number | null;
  interval: string | null;
  intervalCount: number | null;
  trialPeriodDays: number | null;
}

export interface CouponOption {
  id: string;
  name: string | null;
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  duration: string | null;
  durationInMonths: number | null;
}

export interface CustomerSummary {
  id: string;
  name: string | null;
  email: string | null;
  phone?: string | null;
  company?: string | null;
  deleted?: boolean;
}
