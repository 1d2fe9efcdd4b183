import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore, type RecordedEvent } from '@ledgerline/event-store';
import {
  createTestDatabase,
  runMigrations,
  startStripeServer,
  type StripeTestServer,
  type TestDatabase,
} from '@ledgerline/testing';
import { countOf, SMALL_ACCOUNT, stripeAccountObjects } from '../testing/stripe-account.fixture';
import type { BackfillTypeProgress } from './backfill-run';
import { backfillRequestOf, runFor } from './backfill-request';
import { BackfillRuns } from './backfill-runs';
import { BackfillRuns1764000001700 } from './backfill-runs.migration';
import { BackfillBusyError, executeBackfill } from './execute-backfill';

const CONFIG = { requestsPerSecond: 100, maxAttempts: 3, pageSize: 25 };
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
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let server: StripeTestServer;
  let runs: BackfillRuns;
  const objects = stripeAccountObjects(SMALL_ACCOUNT, 'a');

  /** Every backfill event in the store, oldest first. */
  const backfilled = async (): Promise<RecordedEvent[]> => {
    const all: RecordedEvent[] = [];
    let from = 0n;
    for (;;) {
      const read = await store.readAll({ from, maxCount: 1000 });
      all.push(...read.events);
      if (read.events.length === 0) return all.filter((event) => event.metadata.source === 'backfill');
      from = read.nextFrom;
    }
  };
  const run = async (
    ask: Parameters<typeof backfillRequestOf>[0] = {},
    onProgress?: (l: BackfillTypeProgress) => void,
    signal?: AbortSignal,
  ) => {
    const { id } = await runFor(runs, backfillRequestOf(ask), 'tester');
    return executeBackfill({ store, stripe: server.stripe(), runs, config: CONFIG }, id, {
      backoffBaseMs: 5,
      onProgress,
      signal,
    });
  };

  beforeAll(async () => {
    database = await createTestDatabase('backfill');
    await runMigrations(database.url, [...EVENT_STORE_MIGRATIONS, BackfillRuns1764000001700]);
    dataSource = await createDataSource(database.url, []).initialize();
    store = new PostgresEventStore({ connectionString: database.url });
    runs = new BackfillRuns(dataSource);
    server = await startStripeServer();
    server.seedObjects(objects);
  });

  afterAll(async () => {
    await server?.close();
    await store?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  beforeEach(() => server.reset());

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
    expect(server.requests({ method: 'GET', path: '/v1/customers' })).toHaveLength(10);
    expect(server.requests({ method: 'GET', path: /^\/v1\/customers\/[^/]+\/payment_methods$/ })).toHaveLength(
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
    server.seedObjects([
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
    const id = await runs.create(backfillRequestOf({ objects: ['coupons'] }), 'tester');
    expect(await runs.claim(id)).toBe(true);
    expect(await runs.claim(id)).toBe(false);
    await expect(executeBackfill({ store, stripe: server.stripe(), runs, config: CONFIG }, id)).rejects.toBeInstanceOf(
      BackfillBusyError,
    );
    expect(await runs.unfinished(backfillRequestOf({ objects: ['coupons'] }))).toEqual({ id, active: true });
    expect(await runs.requestStop(id)).toBe(true);
    await runs.finish(id, 'stopped', null);
    expect(await runs.requestStop(id)).toBe(false);
    expect(await runs.claim(id)).toBe(true);
  });
});
