import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { readModelDatabase, stripeEvent } from '../shared/testing/read-model-events';
import { platformCustomerId } from '../shared/stripe-refs';
import { subscriptionsProjector } from '../subscriptions/subscriptions.projector';
import { CustomerListIndexes1764000003200 } from './customer-list-indexes.migration';
import { type CustomerListLimits, type CustomerSearch, searchCustomers } from './customer-list.query';
import { customersProjector } from './customers.projector';

const T = 1_760_000_000;
const PAGE = { limit: 50, offset: 0 };
const id = (stripeId: string) => platformCustomerId(stripeId, null);
/** Two customers equal on the sorted value, in the order their ids put them. */
const tied = (a: string, b: string) => (id(a) < id(b) ? [a, b] : [b, a]);

const customer = (stripeId: string, fields: Record<string, unknown>) =>
  stripeEvent('customer.created', T, 'customer', { id: stripeId, ...fields });
const subscription = (stripeId: string, customerStripeId: string, status: string, metadata = {}) =>
  stripeEvent('customer.subscription.created', T, 'subscription', {
    id: stripeId,
    customer: customerStripeId,
    status,
    metadata,
  });

describe('customer list (issue 28): sorts, filters and the total', () => {
  let db: Awaited<ReturnType<typeof readModelDatabase>>;
  const list = (search: CustomerSearch, page = PAGE, limits?: CustomerListLimits) =>
    searchCustomers(db.dataSource, search, page, limits);
  /** The Stripe ids listed, in order. */
  const listed = async (search: CustomerSearch, limits?: CustomerListLimits) =>
    (await list(search, PAGE, limits)).data.map((c) => c.stripeId);

  beforeAll(async () => {
    db = await readModelDatabase('customer_list');
    await db.feed(
      [customersProjector(), subscriptionsProjector()],
      [
        customer('cus_ada', { name: 'Ada Lovelace', email: 'ada@example.org', balance: 500, created: T + 1 }),
        customer('cus_ada2', { name: 'Ada Lovelace', email: 'countess@example.org', balance: 100, created: T + 4 }),
        customer('cus_bob', {
          name: 'Bob Brown',
          email: 'bob@example.org',
          balance: -200,
          created: T + 3,
          delinquent: true,
        }),
        customer('cus_carol', { name: 'Carol Chen', email: null, balance: null, created: T + 2 }),
        customer('cus_noname', { name: null, email: 'dan@example.org', balance: 0, created: null, delinquent: null }),
        customer('cus_eve', {
          name: 'Eve Evans',
          email: 'eve@example.org',
          balance: 500,
          created: T + 5,
          delinquent: true,
        }),
        customer('cus_gone', { name: 'Gone Away', email: 'gone@example.org' }),
        stripeEvent('customer.deleted', T + 9, 'customer', { id: 'cus_gone', deleted: true }),
        subscription('sub_ada_late', 'cus_ada', 'past_due'),
        subscription('sub_ada', 'cus_ada', 'active'),
        subscription('sub_bob', 'cus_bob', 'active'),
        subscription('sub_carol', 'cus_carol', 'canceled'),
        // Named by the platform customer it was started for (its Stripe customer is unknown here).
        subscription('sub_eve', 'cus_elsewhere', 'paused', { ledgerline_customer_id: id('cus_eve') }),
        subscription('sub_gone', 'cus_gone', 'active'),
      ],
    );
  });
  afterAll(() => db.close());

  it('sorts by name by default, ties by id, customers without a name last', async () => {
    const byName = ['cus_ada', 'cus_ada2', 'cus_bob', 'cus_carol', 'cus_eve', 'cus_noname'];
    const ada = tied('cus_ada', 'cus_ada2');
    expect(await listed({})).toEqual([...ada, 'cus_bob', 'cus_carol', 'cus_eve', 'cus_noname']);
    expect(await listed({ sort: 'name', order: 'asc' })).toEqual(await listed({}));
    expect(await listed({ sort: 'name', order: 'desc' })).toEqual([
      'cus_eve',
      'cus_carol',
      'cus_bob',
      ...[...ada].reverse(),
      'cus_noname',
    ]);
    expect((await listed({})).sort()).toEqual(byName.sort());
  });

  it('sorts by email, created and balance both ways, NULLs last in both', async () => {
    expect(await listed({ sort: 'email' })).toEqual([
      'cus_ada',
      'cus_bob',
      'cus_ada2',
      'cus_noname',
      'cus_eve',
      'cus_carol',
    ]);
    expect(await listed({ sort: 'email', order: 'desc' })).toEqual([
      'cus_eve',
      'cus_noname',
      'cus_ada2',
      'cus_bob',
      'cus_ada',
      'cus_carol',
    ]);
    expect(await listed({ sort: 'created' })).toEqual([
      'cus_ada',
      'cus_carol',
      'cus_bob',
      'cus_ada2',
      'cus_eve',
      'cus_noname',
    ]);
    expect(await listed({ sort: 'created', order: 'desc' })).toEqual([
      'cus_eve',
      'cus_ada2',
      'cus_bob',
      'cus_carol',
      'cus_ada',
      'cus_noname',
    ]);
    const richest = tied('cus_ada', 'cus_eve');
    expect(await listed({ sort: 'balance' })).toEqual(['cus_bob', 'cus_noname', 'cus_ada2', ...richest, 'cus_carol']);
    expect(await listed({ sort: 'balance', order: 'desc' })).toEqual([
      ...[...richest].reverse(),
      'cus_ada2',
      'cus_noname',
      'cus_bob',
      'cus_carol',
    ]);
  });

  it('pages through every sort without repeating or skipping a customer', async () => {
    for (const sort of ['name', 'email', 'created', 'balance'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const whole = await listed({ sort, order });
        const pages = [];
        for (let offset = 0; offset < 6; offset += 2) {
          pages.push(await list({ sort, order }, { limit: 2, offset }));
        }
        expect(pages.flatMap((page) => page.data.map((c) => c.stripeId))).toEqual(whole);
        expect(pages.map((page) => [page.hasMore, page.total, page.totalCapped])).toEqual([
          [true, 6, false],
          [true, 6, false],
          [false, 6, false],
        ]);
      }
    }
  });

  it('filters by delinquent, true or not, with the search text and a sort', async () => {
    expect(await listed({ delinquent: true })).toEqual(['cus_bob', 'cus_eve']);
    expect(await listed({ delinquent: true, sort: 'name', order: 'desc' })).toEqual(['cus_eve', 'cus_bob']);
    // Not delinquent includes the customer Stripe has said nothing about.
    expect((await listed({ delinquent: false })).sort()).toEqual(['cus_ada', 'cus_ada2', 'cus_carol', 'cus_noname']);
    expect(await listed({ delinquent: false, q: 'ada', sort: 'balance', order: 'desc' })).toEqual([
      'cus_ada',
      'cus_ada2',
    ]);
    expect((await list({ delinquent: true })).total).toBe(2);
  });

  it('filters by a subscription status, by Stripe customer or by the platform customer named', async () => {
    // Looked up from the subscriptions first (few in the status), or checked customer by customer.
    for (const fewSubscriptions of [10_000, 0]) {
      const limits = { fewSubscriptions };
      expect(await listed({ subscriptionStatus: 'active' }, limits)).toEqual(['cus_ada', 'cus_bob']);
      expect(await listed({ subscriptionStatus: 'past_due' }, limits)).toEqual(['cus_ada']);
      expect(await listed({ subscriptionStatus: 'paused' }, limits)).toEqual(['cus_eve']);
      expect(await listed({ subscriptionStatus: 'canceled', delinquent: false }, limits)).toEqual(['cus_carol']);
      expect(await listed({ subscriptionStatus: 'unpaid' }, limits)).toEqual([]);
      expect(await listed({ subscriptionStatus: 'active', delinquent: true, q: 'bob' }, limits)).toEqual(['cus_bob']);
      const active = await list({ subscriptionStatus: 'active' }, { limit: 1, offset: 0 }, limits);
      expect([active.data.length, active.hasMore, active.total]).toEqual([1, true, 2]);
    }
  });

  it('counts up to the cap, and says when there are more', async () => {
    const capped = await list({}, { limit: 2, offset: 0 }, { countCap: 3 });
    expect([capped.data.length, capped.total, capped.totalCapped]).toEqual([2, 3, true]);
    const exact = await list({}, { limit: 2, offset: 0 }, { countCap: 6 });
    expect([exact.total, exact.totalCapped]).toEqual([6, false]);
    // A last page tells the total without counting; past the cap it is capped alike.
    const last = await list({}, { limit: 2, offset: 4 }, { countCap: 3 });
    expect([last.data.length, last.hasMore, last.total, last.totalCapped]).toEqual([2, false, 3, true]);
    const beyond = await list({}, { limit: 2, offset: 10 });
    expect([beyond.data.length, beyond.total, beyond.totalCapped]).toEqual([0, 6, false]);
    const none = await list({ q: 'nobody at all' });
    expect([none.total, none.totalCapped]).toEqual([0, false]);
  });

  it('reads the indexes for the name order both ways and for delinquent customers', async () => {
    await new CustomerListIndexes1764000003200().down(db.dataSource.createQueryRunner());
    await new CustomerListIndexes1764000003200().up(db.dataSource.createQueryRunner());
    /** The plans of the statements a search runs, with scanning the table made as costly as it is on many rows. */
    const plans = async (search: CustomerSearch) => {
      const statements: [string, unknown[]][] = [];
      const spy = {
        query: (sql: string, params: unknown[]) => (statements.push([sql, params]), db.dataSource.query(sql, params)),
      };
      await searchCustomers(spy as unknown as DataSource, search, PAGE);
      const runner = db.dataSource.createQueryRunner();
      try {
        await runner.startTransaction();
        await runner.query('SET LOCAL enable_seqscan = off');
        const explained = [];
        for (const [sql, params] of statements) explained.push(await runner.query(`EXPLAIN ${sql}`, params));
        return JSON.stringify(explained);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    };
    expect(await plans({})).toContain('customers_name_idx');
    expect(await plans({ order: 'desc' })).toContain('customers_name_desc_idx');
    expect(await plans({ delinquent: true })).toContain('customers_delinquent_idx');
  });
});
