import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { customersProjector } from '../customers/customers.projector';
import { platformEvent, readModelDatabase, stripeEvent, type TestEvent } from '../shared/testing/read-model-events';
import { subscriptionsProjector } from './subscriptions.projector';
import { findSubscription, listCustomerSubscriptions, searchSubscriptions } from './subscriptions.query';

const ADA = '0f6d2c1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f';
const BOX = '5b1c9d2e-3f4a-4b5c-8d6e-7f8091a2b3c4';
const BIGGER_BOX = '6c2d0e3f-4a5b-4c6d-9e7f-8091a2b3c4d5';
const T = 1_760_000_000;
const PAGE = { limit: 50, offset: 0 };
const HOME = {
  line1: '12 St James Square',
  line2: null,
  city: 'London',
  state: null,
  country: 'GB',
  postalCode: 'SW1Y 4JH',
};
const OFFICE = { ...HOME, line1: '1 Babbage Lane', postalCode: 'EC1A 1AA' };

const started = (subscriptionId: string, at: number, replacesSubscriptionId: string | null = null) =>
  platformEvent('SubscriptionStarted', at, {
    subscriptionId,
    customerId: ADA,
    customerStripeId: null,
    item: {
      priceId: 'price_box',
      productId: 'prod_box',
      unitAmount: 2500,
      currency: 'gbp',
      interval: 'month',
      intervalCount: 1,
    },
    couponId: null,
    trialDays: 14,
    collection: 'card_on_file',
    daysUntilDue: null,
    giftRecipientId: 'grace@example.org',
    shippingAddress: HOME,
    shipmentsRemaining: 6,
    replacesSubscriptionId,
  });

/** Stripe's view of the platform's subscription: the ledgerline metadata travels with it. */
const stripeBox = (type: string, created: number, status: string, shipments: number, extra = {}) =>
  stripeEvent(type, created, 'subscription', {
    id: 'sub_box',
    customer: 'cus_ada',
    status,
    metadata: {
      ledgerline_subscription_id: BOX,
      ledgerline_customer_id: ADA,
      gift_recipient: 'grace@example.org',
      shipments_remaining: String(shipments),
      ledgerline_shipping_address: JSON.stringify(HOME),
    },
    ...extra,
  });

describe('subscriptions projector: platform subscriptions and their Stripe echo', () => {
  let db: Awaited<ReturnType<typeof readModelDatabase>>;
  const projectors = [customersProjector(), subscriptionsProjector()];
  const feed = (events: TestEvent[]) => db.feed(projectors, events);
  const find = (id: string) => findSubscription(db.dataSource, id);
  const ofAda = async (stripeIds: string[]) =>
    (await listCustomerSubscriptions(db.dataSource, { id: ADA, stripeIds }, PAGE)).data.map((s) => s.id);

  beforeAll(async () => {
    db = await readModelDatabase('subscriptions_platform');
  });
  beforeEach(() =>
    db.dataSource.query(`TRUNCATE customers, subscriptions, subscription_observations, subscription_schedules`),
  );
  afterAll(() => db.close());

  const registered = platformEvent('CustomerRegistered', T - 60, {
    customerId: ADA,
    details: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.org', phone: null, address: HOME },
  });

  it('shows a started subscription as pending, with its customer, before Stripe or the customer link', async () => {
    await feed([registered, started(BOX.toUpperCase(), T)]);
    expect(await find(BOX)).toMatchObject({
      id: BOX,
      stripeId: null,
      status: 'pending',
      customerId: ADA,
      customerStripeId: null,
      customer: { id: ADA, name: 'Ada Lovelace', email: 'ada@example.org' },
      items: [expect.objectContaining({ priceId: 'price_box', productId: 'prod_box', unitAmount: 2500, quantity: 1 })],
      productIds: ['prod_box'],
      currency: 'gbp',
      collectionMethod: 'charge_automatically',
      trialEnd: new Date((T + 14 * 86_400) * 1000).toISOString(),
      giftRecipient: 'grace@example.org',
      shipmentsRemaining: 6,
      shippingAddress: HOME,
      history: [],
    });
    expect(await ofAda([])).toEqual([BOX]);
    const search = async (q?: string, status?: 'pending') =>
      (await searchSubscriptions(db.dataSource, { q, status }, PAGE)).data.map((s) => s.id);
    expect(await search('lovelace', 'pending')).toEqual([BOX]);
  });

  it('shows a shipping address from Stripe metadata only when it has a street and a country, and only its fields', async () => {
    const partial = stripeBox('customer.subscription.created', T, 'active', 6, {
      metadata: { ledgerline_subscription_id: BOX, ledgerline_shipping_address: JSON.stringify({ city: 'Paris' }) },
    });
    await feed([partial]);
    expect((await find(BOX))?.shippingAddress).toBeNull();
    const extra = stripeBox('customer.subscription.updated', T + 1, 'active', 6, {
      metadata: {
        ledgerline_subscription_id: BOX,
        ledgerline_shipping_address: JSON.stringify({ ...HOME, note: 'leave at the door' }),
      },
    });
    await feed([extra]);
    expect((await find(BOX))?.shippingAddress).toEqual(HOME);
  });

  it('merges the Stripe echo into the same record: Stripe status and id, found by either id', async () => {
    const echo = stripeBox('customer.subscription.created', T, 'trialing', 6);
    const customerEcho = stripeEvent('customer.created', T, 'customer', {
      id: 'cus_ada',
      name: 'Ada Lovelace',
      metadata: { ledgerline_customer_id: ADA },
    });
    await feed([registered, started(BOX, T), customerEcho, echo]);
    expect(await db.dataSource.query(`SELECT id FROM subscriptions`)).toEqual([{ id: BOX }]);
    const byPlatformId = await find(BOX);
    expect(byPlatformId).toMatchObject({
      id: BOX,
      stripeId: 'sub_box',
      status: 'trialing',
      customerId: ADA,
      customerStripeId: 'cus_ada',
      customer: { id: ADA, name: 'Ada Lovelace' },
      history: [expect.objectContaining({ from: null, to: 'trialing', storeEventId: echo.id })],
    });
    expect(byPlatformId?.items).toEqual([expect.objectContaining({ id: 'si_QXhVnC2h0Jczwc' })]);
    expect(await find('sub_box')).toEqual(byPlatformId);
    expect(await ofAda(['cus_ada'])).toEqual([BOX]);
  });

  it('keeps a platform edit newer than Stripe, until Stripe says newer; a cancellation request stays', async () => {
    await feed([
      started(BOX, T),
      stripeBox('customer.subscription.created', T, 'trialing', 6),
      platformEvent('SubscriptionShipmentsRemainingChanged', T + 100, {
        subscriptionId: BOX,
        customerId: ADA,
        shipmentsRemaining: 5,
        previous: 6,
      }),
      platformEvent('SubscriptionAddressChanged', T + 110, {
        subscriptionId: BOX,
        customerId: ADA,
        shippingAddress: OFFICE,
      }),
      // Late, older than the edits: its status is the newest Stripe has, its metadata is not.
      stripeBox('customer.subscription.updated', T + 60, 'active', 6),
    ]);
    expect(await find(BOX)).toMatchObject({ status: 'active', shipmentsRemaining: 5, shippingAddress: OFFICE });

    await feed([
      platformEvent('SubscriptionCancellationRequested', T + 200, {
        subscriptionId: BOX,
        customerId: ADA,
        when: 'period_end',
        effectiveAt: '2026-01-01T00:00:00.000Z',
        reason: 'too many boxes',
      }),
      stripeBox('customer.subscription.updated', T + 300, 'active', 4, { cancel_at_period_end: true }),
    ]);
    expect(await find('sub_box')).toMatchObject({
      status: 'active',
      shipmentsRemaining: 4,
      shippingAddress: HOME,
      cancelAtPeriodEnd: true,
      cancellationRequested: {
        when: 'period_end',
        effectiveAt: '2026-01-01T00:00:00.000Z',
        reason: 'too many boxes',
        requestedAt: new Date((T + 200) * 1000).toISOString(),
        actor: 'alice',
      },
    });
  });

  it('records a plan change: the old subscription asked to cancel now, the new one replacing it', async () => {
    await feed([
      registered,
      started(BOX, T),
      platformEvent('SubscriptionPlanChanged', T + 500, {
        subscriptionId: BOX,
        customerId: ADA,
        newSubscriptionId: BIGGER_BOX,
        fromPriceId: 'price_box',
        toPriceId: 'price_bigger',
        refundPolicy: 'prorated',
        creditAmount: 1200,
        currency: 'gbp',
      }),
      started(BIGGER_BOX, T + 500, BOX),
    ]);
    expect(await find(BOX)).toMatchObject({
      cancellationRequested: {
        when: 'now',
        effectiveAt: new Date((T + 500) * 1000).toISOString(),
        reason: 'plan_change',
      },
    });
    expect(await find(BIGGER_BOX)).toMatchObject({ status: 'pending', replacesSubscriptionId: BOX });
    expect((await ofAda([])).sort()).toEqual([BOX, BIGGER_BOX].sort());
  });

  it('applies platform edits of a subscription that came from Stripe to its row', async () => {
    await feed([
      stripeEvent('customer.subscription.created', T, 'subscription', { id: 'sub_plain', status: 'active' }),
      platformEvent('SubscriptionShipmentsRemainingChanged', T + 10, {
        subscriptionId: 'sub_plain',
        customerId: null,
        shipmentsRemaining: 3,
        previous: null,
      }),
    ]);
    expect(await db.dataSource.query(`SELECT id, stripe_id, shipments_remaining FROM subscriptions`)).toEqual([
      { id: 'sub_plain', stripe_id: 'sub_plain', shipments_remaining: 3 },
    ]);
  });
});
