import type { PostalAddress, SubscriptionItem } from '../api/api-shapes';

/**
 * What the API answers about a customer and its tabs (libs/read-models: customers, subscriptions,
 * activity, notifications, access); shapes other areas read too are in ../api/api-shapes.ts. Only
 * the fields the pages read are named; the API may send more.
 */

/** One of the customer's addresses (GET /customers/:id/addresses, and on the record). */
export type CustomerAddress = PostalAddress & {
  kind: 'billing' | 'shipping';
  name: string | null;
  phone: string | null;
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
