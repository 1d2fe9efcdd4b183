import type { EventFilter } from '@ledgerline/event-store';
import { CUSTOMER_EVENT_TYPES } from '../platform/customer-events';
import { PAYMENT_EVENT_TYPES } from '../platform/payment-events';
import { PRODUCT_EVENT_TYPES } from '../platform/product-events';
import { STRIPE_SYNC_RESULT_TYPES } from '../platform/stripe-sync-events';
import { SUBSCRIPTION_EVENT_TYPES } from '../platform/subscription-events';
import { NOTIFICATION_EVENT_TYPES, type PlatformEventType } from '../schema/schema-registry';
import {
  BACKFILLED_EVENT_TYPES,
  type BackfilledEventType,
  STRIPE_EVENT_TYPES,
  type StripeEventType,
} from './stripe-event-types';

/** Every platform event type, once (a `...LinkedToStripe` is both its aggregate's and a sync result). */
export const PLATFORM_EVENT_TYPES: readonly PlatformEventType[] = [
  ...new Set([
    ...CUSTOMER_EVENT_TYPES,
    ...SUBSCRIPTION_EVENT_TYPES,
    ...PAYMENT_EVENT_TYPES,
    ...PRODUCT_EVENT_TYPES,
    ...STRIPE_SYNC_RESULT_TYPES,
    ...NOTIFICATION_EVENT_TYPES,
  ]),
];

/** An event type some Ledgerline consumer may declare: Stripe's, a backfill's, or the platform's. */
export type LedgerlineEventType = StripeEventType | BackfilledEventType | PlatformEventType;

/** The whole catalogue: what a consumer may name, and the rows of docs/event-routing.md. */
export const EVENT_CATALOGUE: readonly LedgerlineEventType[] = [
  ...STRIPE_EVENT_TYPES,
  ...BACKFILLED_EVENT_TYPES,
  ...PLATFORM_EVENT_TYPES,
];

/**
 * The types no typed consumer handles, on purpose: only the consumers that read every event (the
 * `stripe_objects` mirror, the audit index, the feeds) see them.
 */
export const UNROUTED_EVENT_TYPES = [
  // A balance transaction listed by a backfill is kept as a Stripe object; reconciliation asks
  // Stripe for balance transactions directly rather than reading them from the store.
  'balance_transaction.backfilled',
] as const satisfies readonly LedgerlineEventType[];

/**
 * What a consumer reads: the exact types it handles, written out where its evolve/apply is, or
 * `'all'` for one that truly reads every event.
 */
export type EventRouting = readonly LedgerlineEventType[] | 'all';

/** The store filter of a declaration: the declared types exactly; no filter for `'all'`. */
export function filterOf(handles: readonly LedgerlineEventType[]): EventFilter;
export function filterOf(handles: EventRouting): EventFilter | undefined;
export function filterOf(handles: EventRouting): EventFilter | undefined {
  return handles === 'all' ? undefined : { eventTypes: [...handles] };
}

/** Whether a declaration names the type. */
export function routes(handles: EventRouting, type: string): boolean {
  return handles === 'all' || (handles as readonly string[]).includes(type);
}
