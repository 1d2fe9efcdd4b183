import type { Query, Schemas } from '../api/api-schemas';

/**
 * The API's answers the subscription pages read, as its OpenAPI schemas give them; shapes other
 * areas read too are in ../api/api-shapes.ts.
 */

type SubscriptionStatus = NonNullable<Query<'/subscriptions', 'get'>['status']>;

const STATUSES = [
  'pending',
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'paused',
  'canceled',
] as const satisfies readonly SubscriptionStatus[];

/** The statuses GET /subscriptions filters by, in the order the select offers them; one left out fails to compile. */
export const SUBSCRIPTION_STATUSES: [Exclude<SubscriptionStatus, (typeof STATUSES)[number]>] extends [never]
  ? typeof STATUSES
  : never = STATUSES;

/** How a subscription is paid, as POST /subscriptions takes it. */
export type Collection = Schemas['StartSubscriptionRequest']['collection'];

/** A row of GET /subscriptions (and of a customer's subscriptions). */
export type SubscriptionRow = Schemas['SubscriptionView'];

/**
 * GET /subscriptions/:id: the row, the subscription that replaced it, its status history, and where
 * its latest command stands with Stripe (`stripeSync`).
 */
export type Subscription = Schemas['SubscriptionRecordView'];

export type PriceOption = Schemas['PriceOption'];

export type CouponOption = Schemas['CouponOption'];
