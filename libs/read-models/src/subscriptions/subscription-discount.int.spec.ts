import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { catalogProjector } from '../catalog/catalog.projector';
import { customersProjector } from '../customers/customers.projector';
import { platformEvent, readModelDatabase, stripeEvent } from '../shared/testing/read-model-events';
import { subscriptionsProjector } from './subscriptions.projector';
import { findSubscription, listCustomerSubscriptions, searchSubscriptions } from './subscriptions.query';

const ADA = '0f6d2c1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f';
const BOX = '5b1c9d2e-3f4a-4b5c-8d6e-7f8091a2b3c4';
const T = 1_760_000_000;
const PAGE = { limit: 50, offset: 0 };

const started = (couponId: string | null) =>
  platformEvent('SubscriptionStarted', T, {
    subscriptionId: BOX,
    customerId: ADA,
    customerStripeId: 'cus_ada',
    item: {
      priceId: 'price_box',
      productId: 'prod_box',
      unitAmount: 2500,
      currency: 'gbp',
      interval: 'month',
      intervalCount: 1,
    },
    couponId,
    trialDays: null,
    collection: 'card_on_file',
    daysUntilDue: null,
    giftRecipientId: null,
    shippingAddress: null,
    shipmentsRemaining: null,
    replacesSubscriptionId: null,
  });

/** Stripe's echo of the platform's subscription: the discount by id only, as its subscription events carry it. */
const echo = (discountIds: string[], created = T + 1) =>
  stripeEvent('customer.subscription.created', created, 'subscription', {
    id: 'sub_box',
    customer: 'cus_ada',
    status: 'active',
    discount: null,
    discounts: discountIds,
    metadata: { ledgerline_subscription_id: BOX, ledgerline_customer_id: ADA },
  });

const welcome = stripeEvent('coupon.created', T - 100, 'coupon', {
  id: 'WELCOME10',
  name: 'Welcome',
  percent_off: 10,
  amount_off: null,
  currency: null,
  duration: 'repeating',
  duration_in_months: 3,
});
const WELCOME_TERMS = {
  id: 'WELCOME10',
  name: 'Welcome',
  percentOff: 10,
  amountOff: null,
  currency: null,
  duration: 'repeating',
  durationInMonths: 3,
};

describe('subscriptions: the coupon of a discount Stripe names by id only', () => {
  let db: Awaited<ReturnType<typeof readModelDatabase>>;
  const projectors = [customersProjector(), subscriptionsProjector(), catalogProjector()];
  const discountOf = async (id: string) => (await findSubscription(db.dataSource, id))?.discount;

  beforeAll(async () => {
    db = await readModelDatabase('subscription_discount');
  });
  beforeEach(() => db.dataSource.query(`TRUNCATE customers, subscriptions, subscription_observations, coupons`));
  afterAll(() => db.close());

  it('shows the coupon the platform started it with, in the catalog’s terms, from pending to Stripe’s echo', async () => {
    await db.feed(projectors, [welcome, started('WELCOME10')]);
    // Pending: what the platform asked Stripe for, as it shows the price.
    expect(await discountOf(BOX)).toEqual({ id: null, coupon: WELCOME_TERMS });

    await db.feed(projectors, [echo(['di_box'])]);
    const expected = { id: 'di_box', coupon: WELCOME_TERMS };
    expect(await discountOf(BOX)).toEqual(expected);
    expect(await discountOf('sub_box')).toEqual(expected);
    const listed = await listCustomerSubscriptions(db.dataSource, { id: ADA, stripeIds: ['cus_ada'] }, PAGE);
    expect(listed.data.map((s) => s.discount)).toEqual([expected]);
    const searched = await searchSubscriptions(db.dataSource, {}, PAGE);
    expect(searched.data.map((s) => s.discount)).toEqual([expected]);
  });

  it('finds a coupon the catalog learns of after the subscription (a join when read, not a copy)', async () => {
    await db.feed(projectors, [started('WELCOME10'), echo(['di_box'])]);
    expect(await discountOf(BOX)).toEqual({ id: 'di_box', coupon: { id: 'WELCOME10' } });
    await db.feed(projectors, [welcome]);
    expect(await discountOf(BOX)).toEqual({ id: 'di_box', coupon: WELCOME_TERMS });
  });

  it('keeps the discount id when the coupon is known nowhere, and shows no coupon once Stripe removed it', async () => {
    const fromStripe = stripeEvent('customer.subscription.created', T, 'subscription', {
      id: 'sub_dashboard',
      customer: 'cus_ada',
      discount: null,
      discounts: ['di_dashboard'],
      metadata: {},
    });
    await db.feed(projectors, [welcome, fromStripe, started('WELCOME10'), echo(['di_box'])]);
    expect(await discountOf('sub_dashboard')).toEqual({ id: 'di_dashboard', coupon: null });

    // A `once` coupon is gone after the first invoice: Stripe sends no discount, nor does the record.
    await db.feed(projectors, [echo([], T + 40 * 86_400)]);
    expect(await discountOf(BOX)).toBeNull();
  });
});
