/**
 * The API's answers the subscription pages read, as the read models write them
 * (libs/read-models: subscriptions.table.ts, subscriptions.query.ts, catalog.query.ts).
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

export interface Paged<T> {
  data: T[];
  limit: number;
  offset: number;
  hasMore: boolean;
}

export interface SubscriptionItem {
  id: string | null;
  priceId: string | null;
  planId: string | null;
  productId: string | null;
  nickname: string | null;
  quantity: number | null;
  unitAmount: number | null;
  currency: string | null;
  interval: string | null;
  intervalCount: number | null;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
}

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

/** A type, not an interface, so it passes where any record of strings is taken (formatAddress). */
export type PostalAddress = {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  postalCode: string | null;
};

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

export interface Invoice {
  id: string;
  number: string | null;
  status: string | null;
  currency: string | null;
  total: number | null;
  amountPaid: number | null;
  amountRemaining: number | null;
  dueDate: string | null;
  paidAt: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  chargeId: string | null;
  paymentIntentId: string | null;
  hostedInvoiceUrl: string | null;
  stripeCreated: string | null;
}

export interface Payment {
  id: string;
  object: 'charge' | 'payment_intent';
  amount: number | null;
  amountRefunded: number | null;
  currency: string | null;
  status: string | null;
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

export interface PaymentMethod {
  id: string;
  type: string | null;
  brand: string | null;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
  isDefault: boolean;
  expired: boolean;
}

/** What every command answers: the aggregate's id and the events appended. */
export interface CommandResult {
  id: string;
  events: { eventId: string; type: string; stream: string; revision: string; position: string }[];
}
