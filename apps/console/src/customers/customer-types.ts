/**
 * What the API answers about a customer and its tabs (libs/read-models: customers, subscriptions,
 * payments, payment methods, invoices, activity, notifications, access). Only the fields the pages
 * read are named; the API may send more.
 */

/** `{ data, limit, offset, hasMore }` of every paged list. */
export interface Paged<T> {
  data: T[];
  limit: number;
  offset: number;
  hasMore: boolean;
}

export type CustomerAddress = {
  kind: 'billing' | 'shipping';
  name: string | null;
  phone: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  postalCode: string | null;
  state: string | null;
  country: string | null;
  source: 'stripe' | 'platform';
};

export interface Customer {
  id: string;
  stripeId: string | null;
  stripeIds: string[];
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  department: string | null;
  description: string | null;
  addresses: CustomerAddress[];
  balance: number | null;
  currency: string | null;
  delinquent: boolean | null;
  defaultPaymentMethod: string | null;
  livemode: boolean | null;
  stripeCreated: string | null;
  deleted: boolean;
  lastEventAt: string | null;
}

export interface SubscriptionItem {
  priceId: string | null;
  productId: string | null;
  nickname: string | null;
  quantity: number | null;
  unitAmount: number | null;
  currency: string | null;
  interval: string | null;
  intervalCount: number | null;
}

export interface CustomerSubscription {
  id: string;
  stripeId: string | null;
  status: string | null;
  items: SubscriptionItem[] | null;
  currency: string | null;
  startDate: string | null;
  trialEnd: string | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean | null;
  canceledAt: string | null;
  shipmentsRemaining: number | null;
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
  stripeCreated: string | null;
}

export interface ActivityEntry {
  kind: string;
  summary: string;
  occurredAt: string;
  objectType: string;
  objectId: string | null;
  actor: string | null;
  event: { stripeEventId: string | null; storeEventId: string; type: string };
}

export interface CustomerNotification {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  occurredAt: string;
}

export interface EventRef {
  at: string;
  stripeEventId: string | null;
  storeEventId: string | null;
}

export interface ProductAccess {
  productId: string;
  source: 'subscription' | 'purchase';
  sourceId: string;
  active: boolean;
  granted: EventRef;
  revoked: EventRef | null;
  endsAt: string | null;
  platformProductIds: string[];
}

/** `POST /customers` and `PATCH /customers/:id` answer which events the command appended. */
export interface CommandAnswer {
  id: string;
  events: { eventId: string; type: string; stream: string; position: string }[];
}
