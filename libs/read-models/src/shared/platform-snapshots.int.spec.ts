import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { shuffle } from '@ledgerline/testing';
import { customersProjector } from '../customers/customers.projector';
import { subscriptionsProjector } from '../subscriptions/subscriptions.projector';
import { platformEvent, readModelDatabase, stripeEvent, type TestEvent } from './testing/read-model-events';

const ADA = '0f6d2c1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f';
const BOX = '5b1c9d2e-3f4a-4b5c-8d6e-7f8091a2b3c4';
const NEXT_BOX = '6c2d0e3f-4a5b-4c6d-9e7f-8091a2b3c4d5';
const T = 1_760_000_000;
const HOME = {
  line1: '12 St James Square',
  line2: null,
  city: 'London',
  state: null,
  country: 'GB',
  postalCode: 'SW1Y 4JH',
};
const OFFICE = { ...HOME, line1: '1 Babbage Lane' };

const details = (lastName: string) => ({
  firstName: 'Ada',
  lastName,
  email: `${lastName.toLowerCase()}@example.org`,
  phone: null,
  address: HOME,
});
const stripeCustomer = (type: string, at: number, name: string, company: string) =>
  stripeEvent(type, at, 'customer', {
    id: 'cus_ada',
    name,
    balance: at - T,
    metadata: { ledgerline_customer_id: ADA, company },
  });
const stripeBox = (type: string, at: number, status: string, shipments: number, address = HOME) =>
  stripeEvent(type, at, 'subscription', {
    id: 'sub_box',
    customer: 'cus_ada',
    status,
    metadata: {
      ledgerline_subscription_id: BOX,
      shipments_remaining: String(shipments),
      ledgerline_shipping_address: JSON.stringify(address),
    },
  });
const started = (subscriptionId: string, at: number, shipmentsRemaining: number) =>
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
    trialDays: null,
    collection: 'send_invoice',
    daysUntilDue: 14,
    giftRecipientId: null,
    shippingAddress: HOME,
    shipmentsRemaining,
    replacesSubscriptionId: null,
  });
const edit = (type: string, at: number, subscriptionId: string, data: Record<string, unknown>) =>
  platformEvent(type, at, { subscriptionId, customerId: ADA, ...data });

/**
 * Stripe snapshots and platform partial snapshots of one customer and two subscriptions, each at
 * its own second: ties are broken by recording order, which in the store is always the echo after
 * the platform event, so a permutation must not reorder them.
 */
function history(): TestEvent[] {
  return [
    platformEvent('CustomerRegistered', T, { customerId: ADA, details: details('Lovelace') }),
    stripeCustomer('customer.created', T + 1, 'Ada Lovelace', 'Engines'),
    platformEvent('CustomerLinkedToStripe', T + 2, {
      customerId: ADA,
      stripeCustomerId: 'cus_ada',
      commandEventId: ADA,
    }),
    platformEvent('CustomerDetailsChanged', T + 10, {
      customerId: ADA,
      details: details('Byron'),
      changed: ['lastName'],
    }),
    stripeCustomer('customer.updated', T + 20, 'Ada King', 'Analytical Engines'),
    stripeCustomer('customer.updated', T + 25, 'Ada King', 'Analytical Engines Ltd'),
    platformEvent('CustomerDetailsChanged', T + 30, { customerId: ADA, details: details('King'), changed: ['email'] }),
    started(BOX, T + 3, 6),
    stripeBox('customer.subscription.created', T + 4, 'trialing', 6),
    edit('SubscriptionLinkedToStripe', T + 5, BOX, { stripeSubscriptionId: 'sub_box', commandEventId: BOX }),
    edit('SubscriptionShipmentsRemainingChanged', T + 11, BOX, { shipmentsRemaining: 5, previous: 6 }),
    stripeBox('customer.subscription.updated', T + 12, 'active', 5),
    edit('SubscriptionAddressChanged', T + 13, BOX, { shippingAddress: OFFICE }),
    edit('SubscriptionCancellationRequested', T + 14, BOX, { when: 'period_end', reason: null }),
    stripeBox('customer.subscription.updated', T + 21, 'past_due', 5),
    edit('SubscriptionShipmentsRemainingChanged', T + 22, BOX, { shipmentsRemaining: 4, previous: 5 }),
    started(NEXT_BOX, T + 40, 12),
    edit('SubscriptionShipmentsRemainingChanged', T + 41, NEXT_BOX, { shipmentsRemaining: 11, previous: 12 }),
    platformEvent('CustomerDeleted', T + 50, { customerId: ADA, stripeCustomerIds: ['cus_ada'] }),
  ];
}

describe('column groups: Stripe snapshots and platform partial snapshots in any order', () => {
  let db: Awaited<ReturnType<typeof readModelDatabase>>;
  const projectors = [customersProjector(), subscriptionsProjector()];
  const TABLES = ['customers', 'subscriptions', 'subscription_observations'];

  beforeAll(async () => {
    db = await readModelDatabase('platform_snapshots');
  });
  afterAll(() => db.close());

  /** Every row, without positions (every stamp's records arrival order, which differs by design). */
  const state = async () => {
    const tables: Record<string, unknown[]> = {};
    for (const table of TABLES) {
      const rows: Record<string, unknown>[] = await db.dataSource.query(`SELECT * FROM ${table} ORDER BY 1, 2`);
      tables[table] = rows.map((row) =>
        Object.fromEntries(Object.entries(row).filter(([k]) => !k.endsWith('_position'))),
      );
    }
    return tables;
  };
  const replay = async (events: TestEvent[], batchSize: number) => {
    await db.dataSource.query(`TRUNCATE ${TABLES.join(', ')}`);
    await db.feed(projectors, events, batchSize);
    return state();
  };

  it('ends with the newest writer of each group, whatever the order and batch size', async () => {
    const events = history();
    const expected = await replay(events, 1);
    expect(expected.customers).toEqual([
      expect.objectContaining({
        id: ADA,
        stripe_id: 'cus_ada',
        stripe_ids: ['cus_ada'],
        name: 'Ada King',
        email: 'king@example.org',
        company: 'Analytical Engines Ltd',
        balance: '25',
        deleted: true,
        last_event_created: String(T + 50),
        search_text: expect.stringContaining('analytical engines ltd'),
      }),
    ]);
    const subscriptions = expected.subscriptions as Record<string, unknown>[];
    expect(
      subscriptions.map(({ id, stripe_id, status, shipments_remaining, shipping_address, customer_id }) => ({
        id,
        stripe_id,
        status,
        shipments_remaining,
        shipping_address,
        customer_id,
      })),
    ).toEqual([
      {
        id: BOX,
        stripe_id: 'sub_box',
        status: 'past_due',
        shipments_remaining: 4,
        shipping_address: HOME,
        customer_id: ADA,
      },
      {
        id: NEXT_BOX,
        stripe_id: null,
        status: 'pending',
        shipments_remaining: 11,
        shipping_address: HOME,
        customer_id: ADA,
      },
    ]);
    expect(subscriptions[0]).toMatchObject({ cancellation_requested: expect.objectContaining({ when: 'period_end' }) });
    expect(subscriptions[1]).toMatchObject({ snapshot_created: null, collection_method: 'send_invoice' });

    for (let seed = 1; seed <= 24; seed++) {
      const order = shuffle(events, seed);
      const batchSize = [1, 2, 3, 5, 8, events.length][seed % 6]!;
      expect(await replay(order, batchSize)).toEqual(expected);
    }
  });
});
