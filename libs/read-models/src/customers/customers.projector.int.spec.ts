import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { platformEvent, readModelDatabase, stripeEvent, type TestEvent } from '../shared/testing/read-model-events';
import { platformCustomerId } from '../shared/stripe-refs';
import { customersProjector } from './customers.projector';
import { searchCustomers } from './customer-list.query';
import { findCustomer } from './customers.query';

const ADA = '0f6d2c1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f';
const T = 1_760_000_000;
const PAGE = { limit: 50, offset: 0 };

const details = (firstName: string, lastName: string, email: string) => ({
  firstName,
  lastName,
  email,
  phone: '+44 20 7946 0001',
  address: {
    line1: '12 St James Square',
    line2: null,
    city: 'London',
    state: null,
    country: 'GB',
    postalCode: 'SW1Y 4JH',
  },
});

/** Stripe's echo of what the platform wrote: ledgerline metadata, and company from the dashboard. */
const stripeAda = (type: string, created: number, name: string, email: string, extra: Record<string, unknown> = {}) =>
  stripeEvent(type, created, 'customer', {
    id: 'cus_ada',
    name,
    email,
    phone: '+44 20 7946 0001',
    address: { line1: '12 St James Square', city: 'London', country: 'GB', postal_code: 'SW1Y 4JH' },
    balance: -1500,
    currency: 'gbp',
    metadata: {
      ledgerline_customer_id: ADA,
      first_name: name.split(' ')[0],
      last_name: name.split(' ')[1],
      company: 'Analytical Engines',
    },
    ...extra,
  });

describe('customers projector: platform records and their Stripe echo', () => {
  let db: Awaited<ReturnType<typeof readModelDatabase>>;
  const projector = customersProjector();
  const feed = (events: TestEvent[], batchSize = 1) => db.feed([projector], events, batchSize);
  const rows = () => db.dataSource.query(`SELECT * FROM customers`) as Promise<Record<string, unknown>[]>;
  const search = async (q: string) => (await searchCustomers(db.dataSource, { q }, PAGE)).data.map((c) => c.id);

  beforeAll(async () => {
    db = await readModelDatabase('customers_platform');
  });
  beforeEach(() => db.dataSource.query(`TRUNCATE customers`));
  afterAll(() => db.close());

  const registered = platformEvent('CustomerRegistered', T, {
    customerId: ADA.toUpperCase(),
    details: details('Ada', 'Lovelace', 'ada@example.org'),
  });
  const echo = stripeAda('customer.created', T, 'Ada Lovelace', 'ada@example.org');
  const linked = platformEvent('CustomerLinkedToStripe', T + 1, {
    customerId: ADA,
    stripeCustomerId: 'cus_ada',
    commandEventId: registered.id,
  });

  it('reads the platform registration and its Stripe echo as one record', async () => {
    await feed([registered]);
    expect(await rows()).toEqual([
      expect.objectContaining({
        id: ADA,
        stripe_id: null,
        stripe_ids: null,
        name: 'Ada Lovelace',
        first_name: 'Ada',
        snapshot_created: null,
        last_event_id: registered.id,
        last_event_created: String(T),
      }),
    ]);
    const pending = await findCustomer(db.dataSource, ADA);
    expect(pending?.addresses).toEqual([
      expect.objectContaining({ kind: 'billing', city: 'London', source: 'platform' }),
    ]);

    await feed([echo, linked]);
    const forward = await rows();
    expect(forward).toEqual([
      expect.objectContaining({
        id: ADA,
        stripe_id: 'cus_ada',
        stripe_ids: ['cus_ada'],
        first_name: 'Ada',
        last_name: 'Lovelace',
        balance: '-1500',
        company: 'Analytical Engines',
      }),
    ]);
    // The echo, recorded after the platform event in the same second, wins the tie.
    expect(forward[0]!.addresses).toEqual([expect.objectContaining({ city: 'London', source: 'stripe' })]);
  });

  it('lets a platform edit newer than Stripe win the profile, keeps Stripe-only columns, and a later dashboard edit wins', async () => {
    const edited = platformEvent('CustomerDetailsChanged', T + 100, {
      customerId: ADA,
      details: details('Ada', 'King', 'countess@example.org'),
      changed: ['lastName', 'email'],
    });
    const staleStripe = stripeAda('customer.updated', T + 50, 'Ada Byron', 'byron@example.org');
    await feed([registered, echo, linked, edited, staleStripe]);
    const customer = await findCustomer(db.dataSource, 'cus_ada');
    expect(customer).toMatchObject({
      id: ADA,
      name: 'Ada King',
      lastName: 'King',
      email: 'countess@example.org',
      balance: -1500,
      currency: 'gbp',
      company: 'Analytical Engines',
      stripeId: 'cus_ada',
    });
    expect(await search('countess')).toEqual([ADA]);
    expect(await search('analytical')).toEqual([ADA]);
    expect(await search('byron')).toEqual([]);

    await feed([stripeAda('customer.updated', T + 200, 'Augusta King', 'augusta@example.org', { balance: 0 })]);
    expect(await findCustomer(db.dataSource, ADA)).toMatchObject({
      name: 'Augusta King',
      firstName: 'Augusta',
      email: 'augusta@example.org',
      balance: 0,
      addresses: [expect.objectContaining({ source: 'stripe' })],
    });
    expect(await search('countess')).toEqual([]);
    expect(await search('augusta')).toEqual([ADA]);
  });

  it('takes a Stripe customer into the platform record when the platform first edits it', async () => {
    await feed([stripeEvent('customer.created', T, 'customer', { id: 'cus_grace', name: 'Grace Hopper' })]);
    const id = platformCustomerId('cus_grace', null);
    await feed([
      platformEvent('CustomerDetailsChanged', T + 10, {
        customerId: id,
        details: details('Grace', 'Hopper', 'grace@navy.example'),
        changed: ['email'],
        stripeCustomerId: 'cus_grace',
      }),
    ]);
    expect(await rows()).toEqual([
      expect.objectContaining({ id, stripe_id: 'cus_grace', stripe_ids: ['cus_grace'], email: 'grace@navy.example' }),
    ]);
  });

  it('leaves a deleted customer out of searches but readable by id', async () => {
    await feed([
      registered,
      echo,
      platformEvent('CustomerDeleted', T + 5, { customerId: ADA, stripeCustomerIds: ['cus_ada'] }),
    ]);
    expect(await search('lovelace')).toEqual([]);
    expect((await searchCustomers(db.dataSource, {}, PAGE)).data).toEqual([]);
    expect(await findCustomer(db.dataSource, ADA)).toMatchObject({ id: ADA, deleted: true, name: 'Ada Lovelace' });
  });
});
