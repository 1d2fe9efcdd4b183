import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@ledgerline/event-store';
import { BACKFILL_TEST_CONFIG, type BackfillTestbed, startBackfillTestbed } from '../testing/backfill-testbed';
import { countOf, SMALL_ACCOUNT, stripeAccountObjects } from '../testing/stripe-account.fixture';
import { backfillRequestOf } from './backfill-request';
import { BackfillBusyError, executeBackfill } from './execute-backfill';

const DEPENDENCY_ORDER = [
  'customer',
  'product',
  'price',
  'plan',
  'coupon',
  'subscription',
  'invoice',
  'charge',
  'refund',
  'dispute',
  'payment_method',
  'balance_transaction',
];

describe('executeBackfill', () => {
  let testbed: BackfillTestbed;
  const objects = stripeAccountObjects(SMALL_ACCOUNT, 'a');

  /** Every backfill event in the store, oldest first. */
  const backfilled = async (): Promise<RecordedEvent[]> => {
    const all: RecordedEvent[] = [];
    let from = 0n;
    for (;;) {
      const read = await testbed.store.readAll({ from, maxCount: 1000 });
      all.push(...read.events);
      if (read.events.length === 0) return all.filter((event) => event.metadata.source === 'backfill');
      from = read.nextFrom;
    }
  };
  const run = (ask = {}) => testbed.run(ask);

  beforeAll(async () => {
    testbed = await startBackfillTestbed('backfill');
    testbed.server.seedObjects(objects);
  });

  afterAll(() => testbed?.close());

  beforeEach(() => testbed.server.reset());

  it('imports every object of the account across pages, in dependency order, once each', async () => {
    const done = await run();
    expect(done.error).toBeNull();
    expect(done.status).toBe('done');
    expect(done.totals).toEqual({
      fetched: countOf(SMALL_ACCOUNT),
      appended: countOf(SMALL_ACCOUNT),
      unchanged: 0,
      failed: 0,
    });
    const events = await backfilled();
    expect(events).toHaveLength(objects.length);
    const ids = events.map((event) => (event.data as { data: { object: { id: string } } }).data.object.id);
    expect(new Set(ids)).toEqual(new Set(objects.map((object) => object.id)));
    // Each in its own object's stream, typed `<object>.backfilled`, with the envelope's metadata.
    const customer = events.find((event) => event.stream === `stripe_customer-${objects[0]!.id}`)!;
    expect(customer.type).toBe('customer.backfilled');
    expect(customer.metadata).toMatchObject({ source: 'backfill', stripeAccount: null, correlationId: done.id });
    expect(events.find((event) => event.stream.startsWith('stripe_subscription-'))!.type).toBe(
      'customer.subscription.backfilled',
    );
    // Dependency order: every customer before any product, ..., before any balance transaction.
    const objectTypes = events.map(
      (event) => (event.data as { data: { object: { object: string } } }).data.object.object,
    );
    const firstOf = (type: string) => objectTypes.indexOf(type);
    const lastOf = (type: string) => objectTypes.lastIndexOf(type);
    for (let i = 1; i < DEPENDENCY_ORDER.length; i += 1) {
      expect(lastOf(DEPENDENCY_ORDER[i - 1]!)).toBeLessThan(firstOf(DEPENDENCY_ORDER[i]!));
    }
    // Paged: 110 customers at 25 a page took 5 list requests, and 5 more to list their payment methods.
    expect(testbed.server.requests({ method: 'GET', path: '/v1/customers' })).toHaveLength(10);
    expect(testbed.server.requests({ method: 'GET', path: /^\/v1\/customers\/[^/]+\/payment_methods$/ })).toHaveLength(
      SMALL_ACCOUNT.customers,
    );
  });

  it('appends nothing the second time, and only what changed in Stripe the third', async () => {
    const again = await run();
    expect(again.totals).toMatchObject({
      fetched: countOf(SMALL_ACCOUNT),
      appended: 0,
      unchanged: countOf(SMALL_ACCOUNT),
    });
    const before = (await backfilled()).length;
    const [first, second] = [objects[3]!, objects[200]!];
    testbed.server.seedObjects([
      { ...first, email: 'changed@example.com' },
      { ...second, metadata: { changed: 'yes' } },
    ]);
    const third = await run();
    expect(third.totals).toMatchObject({ appended: 2, unchanged: countOf(SMALL_ACCOUNT) - 2 });
    const added = (await backfilled()).slice(before);
    expect(added.map((event) => (event.data as { data: { object: { id: string } } }).data.object.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
  });

  it('lets one live process hold a run at a time', async () => {
    const id = await testbed.runs.create(backfillRequestOf({ objects: ['coupons'] }), 'tester');
    expect(await testbed.runs.claim(id)).toBe(true);
    expect(await testbed.runs.claim(id)).toBe(false);
    await expect(
      executeBackfill(
        { store: testbed.store, stripe: testbed.server.stripe(), runs: testbed.runs, config: BACKFILL_TEST_CONFIG },
        id,
      ),
    ).rejects.toBeInstanceOf(BackfillBusyError);
    expect(await testbed.runs.unfinished(backfillRequestOf({ objects: ['coupons'] }))).toEqual({ id, active: true });
    expect(await testbed.runs.requestStop(id)).toBe(true);
    await testbed.runs.finish(id, 'stopped', null);
    expect(await testbed.runs.requestStop(id)).toBe(false);
    expect(await testbed.runs.claim(id)).toBe(true);
  });
});
