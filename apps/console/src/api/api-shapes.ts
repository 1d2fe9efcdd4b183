/**
 * HTTP answers more than one area of the console reads (libs/read-models writes them). Declared
 * here rather than imported from the server: the console knows the api only by its HTTP contract
 * (dependency-cruiser: console-is-an-http-client). Only the fields the pages read are named; the API
 * may send more.
 */

/** `{ data, limit, offset, hasMore }` of every paged list. */
export interface Paged<T> {
  data: T[];
  limit: number;
  offset: number;
  hasMore: boolean;
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

/** An item of a subscription, on GET /subscriptions and a customer's subscriptions alike. */
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

/** A customer's invoices and a subscription's invoices are the same read model's rows. */
export interface Invoice {
  id: string;
  number: string | null;
  status: string | null;
  currency: string | null;
  total: number | null;
  amountPaid: number | null;
  amountRemaining: number | null;
  dueDate: string | null;
  attemptCount: number | null;
  nextPaymentAttempt: string | null;
  hostedInvoiceUrl: string | null;
  billingReason: string | null;
  subscriptionId: string | null;
  paidAt: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  chargeId: string | null;
  paymentIntentId: string | null;
  stripeCreated: string | null;
}

export interface CardSummary {
  type: string | null;
  brand?: string | null;
  last4?: string | null;
  expMonth?: number | null;
  expYear?: number | null;
}

export interface Refund {
  id: string;
  amount: number | null;
  currency: string | null;
  status: string | null;
}

export interface Dispute {
  id: string;
  amount: number | null;
  currency: string | null;
  status: string | null;
  reason: string | null;
}

/** A charge or payment intent: GET /payments/:id and a customer's payments list answer the same. */
export interface Payment {
  id: string;
  object: 'charge' | 'payment_intent';
  amount: number | null;
  amountRefunded: number | null;
  currency: string | null;
  status: string | null;
  description: string | null;
  failureMessage: string | null;
  invoiceId: string | null;
  paymentMethod: CardSummary | null;
  receiptUrl?: string | null;
  refunds?: Refund[];
  disputes?: Dispute[];
  /** A payment intent's charges, each with its refunds and disputes. */
  charges?: Payment[];
  stripeCreated: string | null;
}

/** GET /customers/:id/payment-methods: the customer's tab and the subscription form's card hint. */
export interface PaymentMethod {
  id: string;
  type: string | null;
  brand: string | null;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
  wallet: string | null;
  isDefault: boolean;
  expiresAt: string | null;
  expired: boolean;
  expiringSoon: boolean;
  stripeCreated: string | null;
}

/** What every command answers: the aggregate's id and the events appended. */
export interface CommandResult {
  id: string;
  events: { eventId: string; type: string; stream: string; revision: string; position: string }[];
}
