import { outcomeOf, type PlatformEventInput } from '../../stripe-sync/testing/platform-events';
import { stripePayload } from './activity-events';

const T = 1_767_225_600; // 2026-01-01T00:00:00Z
const iso = (seconds: number) => new Date((T + seconds) * 1000).toISOString();

/** A customer the platform registered: its Stripe customer names it in metadata. */
export const PLATFORM_CUSTOMER = '5d0c3b2a-1e4f-4a6b-8c7d-9e0f1a2b3c4d';
const SUBSCRIPTION = '8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d';
const customerStream = `customer-${PLATFORM_CUSTOMER}`;
const subscriptionStream = `subscription-${SUBSCRIPTION}`;

const registered: PlatformEventInput = {
  name: 'story-registered',
  type: 'CustomerRegistered',
  stream: customerStream,
  data: {
    customerId: PLATFORM_CUSTOMER,
    details: { firstName: 'Pat', lastName: 'Lee', email: 'pat@example.com', phone: null, address: null },
  },
  occurredAt: iso(1000),
  actor: 'alice',
};
const started: PlatformEventInput = {
  name: 'story-started',
  type: 'SubscriptionStarted',
  stream: subscriptionStream,
  data: {
    subscriptionId: SUBSCRIPTION,
    customerId: PLATFORM_CUSTOMER,
    customerStripeId: 'cus_P',
    item: {
      priceId: 'price_gold',
      productId: 'prod_gold',
      unitAmount: 2500,
      currency: 'usd',
      interval: 'month',
      intervalCount: 1,
    },
    couponId: null,
    trialDays: null,
    collection: 'card_on_file',
    daysUntilDue: null,
    giftRecipientId: null,
    shippingAddress: null,
    shipmentsRemaining: null,
    replacesSubscriptionId: null,
  },
  occurredAt: iso(1100),
  actor: 'bob',
};
const emailChanged: PlatformEventInput = {
  name: 'story-email',
  type: 'CustomerDetailsChanged',
  stream: customerStream,
  data: {
    customerId: PLATFORM_CUSTOMER,
    details: { firstName: 'Pat', lastName: 'Lee', email: 'pat@example.org', phone: null, address: null },
    changed: ['email'],
  },
  occurredAt: iso(1200),
  actor: 'alice',
};
const refund: PlatformEventInput = {
  name: 'story-refund',
  type: 'RefundRequested',
  stream: 'payment-ch_P',
  data: {
    paymentId: 'ch_P',
    refundRequestId: 'refund-1',
    chargeId: 'ch_P',
    paymentIntentId: null,
    customerId: PLATFORM_CUSTOMER,
    amount: 500,
    currency: 'usd',
    reason: null,
  },
  occurredAt: iso(1300),
  actor: 'carol',
};
const cancellation: PlatformEventInput = {
  name: 'story-cancel',
  type: 'SubscriptionCancellationRequested',
  stream: subscriptionStream,
  data: {
    subscriptionId: SUBSCRIPTION,
    customerId: PLATFORM_CUSTOMER,
    when: 'period_end',
    effectiveAt: null,
    reason: null,
  },
  occurredAt: iso(1400),
  actor: 'bob',
};

/**
 * What support staff did to a platform customer (cus_P in Stripe), the process manager's outcomes
 * (registration failed once, then succeeded on a retry) and Stripe's own events, in the order it happened.
 */
export function platformCustomerStory(): (Record<string, unknown> | PlatformEventInput)[] {
  return [
    registered,
    outcomeOf(
      registered,
      'story-registered-failed',
      'StripeSyncFailed',
      {
        customerId: PLATFORM_CUSTOMER,
        commandEventType: 'CustomerRegistered',
        operation: 'POST /v1/customers',
        reason: 'Stripe unavailable',
        stripeErrorType: 'api_error',
        stripeErrorCode: null,
        statusCode: 503,
        attempts: 3,
      },
      iso(1001),
    ),
    outcomeOf(
      registered,
      'story-registered-linked',
      'CustomerLinkedToStripe',
      { customerId: PLATFORM_CUSTOMER, stripeCustomerId: 'cus_P' },
      iso(1010),
    ),
    stripePayload({
      id: 'evt_p1',
      type: 'customer.created',
      created: T + 1011,
      object: { id: 'cus_P', object: 'customer', metadata: { ledgerline_customer_id: PLATFORM_CUSTOMER } },
    }),
    started,
    outcomeOf(
      started,
      'story-started-linked',
      'SubscriptionLinkedToStripe',
      { subscriptionId: SUBSCRIPTION, customerId: PLATFORM_CUSTOMER, stripeSubscriptionId: 'sub_P' },
      iso(1101),
    ),
    stripePayload({
      id: 'evt_p2',
      type: 'customer.subscription.created',
      created: T + 1102,
      object: {
        id: 'sub_P',
        object: 'subscription',
        customer: 'cus_P',
        status: 'active',
        items: { object: 'list', data: [{ price: { id: 'price_gold', nickname: 'Gold' }, quantity: 1 }] },
      },
    }),
    emailChanged,
    outcomeOf(
      emailChanged,
      'story-email-completed',
      'StripeSyncCompleted',
      { customerId: PLATFORM_CUSTOMER, commandEventType: 'CustomerDetailsChanged', stripeIds: { customer: 'cus_P' } },
      iso(1201),
    ),
    stripePayload({
      id: 'evt_p3',
      type: 'customer.updated',
      created: T + 1202,
      object: { id: 'cus_P', object: 'customer', metadata: { ledgerline_customer_id: PLATFORM_CUSTOMER } },
      previous: { email: 'pat@example.com' },
    }),
    refund,
    outcomeOf(
      refund,
      'story-refund-linked',
      'RefundLinkedToStripe',
      { paymentId: 'ch_P', customerId: PLATFORM_CUSTOMER, refundRequestId: 'refund-1', stripeRefundId: 're_P' },
      iso(1301),
    ),
    cancellation,
  ];
}

/** The platform customer's feed as listCustomerActivity must return it: [kind, summary, actor], newest first. */
export const PLATFORM_CUSTOMER_FEED: [string, string, string | null][] = [
  ['cancellation_requested', 'Cancellation requested by bob (at period end)', 'bob'],
  ['refund_requested', 'Refund of $5.00 requested by carol', 'carol'],
  ['customer_updated', 'Customer details updated: email', null],
  ['customer_details_changed', 'Email changed by alice', 'alice'],
  ['subscription_started', 'Subscription started: Gold', null],
  ['subscription_start_requested', 'Subscription started by bob: price_gold ($25.00/month), card on file', 'bob'],
  ['customer_created', 'Customer created', null],
  // A success is news only after a failure: the registration's retry shows, the other outcomes do not.
  ['stripe_synced', 'Stripe sync succeeded: customer cus_P', 'system:stripe-sync'],
  ['stripe_sync_failed', "Stripe sync failed for 'Customer registered': Stripe unavailable", 'system:stripe-sync'],
  ['customer_registered', 'Customer registered by alice', 'alice'],
];
