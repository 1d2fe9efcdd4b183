import type { EventSource, RecordedEventMetadata } from '@ledgerline/event-store';
import { CUSTOMER_EVENT_TYPES } from '../platform/customer-events';
import { PAYMENT_EVENT_TYPES } from '../platform/payment-events';
import { PRODUCT_EVENT_TYPES } from '../platform/product-events';
import { STRIPE_SYNC_RESULT_TYPES } from '../platform/stripe-sync-events';
import { SUBSCRIPTION_EVENT_TYPES } from '../platform/subscription-events';
import { subscriptionCancellationRequestedV2 } from './subscription-cancellation-requested.upcasters';

/**
 * Turns the data of one schema version into the next. Pure: the same stored event always reads the
 * same. `data` is typed `never` so that each upcaster can declare the shape of the version it reads.
 */
export type Upcaster = (data: never, metadata: RecordedEventMetadata) => unknown;

/**
 * An event type's upcasters, oldest first: `chain[n - 1]` turns version n into n + 1, so the current
 * version is `chain.length + 1`. Adding an upcaster is what bumps the version: there is no separate
 * number to forget, and no version without a way to reach it.
 */
export type UpcasterChain = readonly Upcaster[];

/**
 * The notification dispatcher's outcomes. Their data types live with the notifications read model
 * (libs/read-models/src/notifications); named here because libs/events must not depend on it.
 */
export const NOTIFICATION_EVENT_TYPES = ['NotificationDelivered', 'NotificationDeliveryFailed'] as const;

export type PlatformEventType =
  | (typeof CUSTOMER_EVENT_TYPES)[number]
  | (typeof SUBSCRIPTION_EVENT_TYPES)[number]
  | (typeof PAYMENT_EVENT_TYPES)[number]
  | (typeof PRODUCT_EVENT_TYPES)[number]
  | (typeof STRIPE_SYNC_RESULT_TYPES)[number]
  | (typeof NOTIFICATION_EVENT_TYPES)[number];

/** Every platform event type. A Record, so the compiler refuses a listed type left out. */
const PLATFORM_EVENT_SCHEMAS: Record<PlatformEventType, UpcasterChain> = {
  CustomerRegistered: [],
  CustomerDetailsChanged: [],
  CustomerDeleted: [],
  CustomerLinkedToStripe: [],
  SubscriptionStarted: [],
  SubscriptionAddressChanged: [],
  SubscriptionShipmentsRemainingChanged: [],
  SubscriptionCancellationRequested: [subscriptionCancellationRequestedV2],
  SubscriptionPlanChanged: [],
  SubscriptionRenewalPrepaid: [],
  SubscriptionLinkedToStripe: [],
  RefundRequested: [],
  RefundLinkedToStripe: [],
  ProductLinkedToStripe: [],
  ProductUnlinkedFromStripe: [],
  RenewalChargeLinkedToStripe: [],
  StripeSyncCompleted: [],
  StripeSyncFailed: [],
  NotificationDelivered: [],
  NotificationDeliveryFailed: [],
};

/**
 * Every Stripe event type shares one schema: the verbatim Stripe Event, whose shape Stripe's
 * `api_version` governs, not Ledgerline. This chain versions only what Ledgerline stores around it
 * (the envelope). Objects inside are normalised across API versions by normaliseStripeObject.
 */
const STRIPE_EVENT_SCHEMA: UpcasterChain = [];

// A Map, not the object: a stored type named `constructor` must not find Object.prototype's.
const PLATFORM_CHAINS: ReadonlyMap<string, UpcasterChain> = new Map(Object.entries(PLATFORM_EVENT_SCHEMAS));

export const REGISTERED_PLATFORM_EVENT_TYPES = [...PLATFORM_CHAINS.keys()] as PlatformEventType[];

export function isStripeSource(source: unknown): source is 'stripe' | 'backfill' {
  return source === 'stripe' || source === 'backfill';
}

/** The upcasters of an event, or undefined for a type this code does not know (left as stored). */
export function upcasterChainOf(type: string, source: unknown): UpcasterChain | undefined {
  return isStripeSource(source) ? STRIPE_EVENT_SCHEMA : PLATFORM_CHAINS.get(type);
}

/**
 * The version appenders write. A platform type not registered yet has never changed shape: version 1
 * (and reads pass it through as stored until it is registered).
 */
export function currentSchemaVersion(type: string, source: EventSource): number {
  return (upcasterChainOf(type, source)?.length ?? 0) + 1;
}
