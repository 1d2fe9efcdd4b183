import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import {
  EVENT_STORE_MIGRATIONS,
  type EventStore,
  PostgresEventStore,
  type ReadStreamOptions,
} from '@ledgerline/event-store';
import { customerStream, type SubscriptionStarted, subscriptionStream } from '@ledgerline/events';
import { READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import { createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { ChangeCustomerDetails } from '../customers/change-customer-details/change-customer-details.command';
import { ChangeCustomerDetailsHandler } from '../customers/change-customer-details/change-customer-details.handler';
import { CustomerRecords } from '../customers/customer-records';
import { RegisterCustomer } from '../customers/register-customer/register-customer.command';
import { RegisterCustomerHandler } from '../customers/register-customer/register-customer.handler';
import { ReadModelLookups } from '../lookups/read-model-lookups';
import { CancelSubscription } from '../subscriptions/cancel-subscription/cancel-subscription.command';
import { CancelSubscriptionHandler } from '../subscriptions/cancel-subscription/cancel-subscription.handler';
import { SubscriptionRecords } from '../subscriptions/subscription-records';
import { AggregateStore } from './aggregate-store';
import { commandContext } from './command-context';
import { CommandRejected } from './command-errors';

/**
 * The event store, except that the first reads of a racing stream wait for one another: concurrent
 * commands then all decide on the same revision, and all but one lose the race to append. Without
 * it, which command reads first is up to timing, and a retry may or may not happen.
 */
function withRacingReads(store: EventStore) {
  const reads = new Map<string, number>();
  const races = new Map<string, { commands: number; waiting: (() => void)[] }>();
  const readStream = async (stream: string, options?: ReadStreamOptions) => {
    const events = await store.readStream(stream, options);
    reads.set(stream, (reads.get(stream) ?? 0) + 1);
    const race = races.get(stream);
    if (race && race.waiting.length < race.commands) {
      await new Promise<void>((start) => {
        race.waiting.push(start);
        if (race.waiting.length === race.commands) race.waiting.forEach((go) => go());
      });
    }
    return events;
  };
  return {
    store: new Proxy(store, {
      get: (target, key) => {
        if (key === 'readStream') return readStream;
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }),
    race: (stream: string, commands: number) => races.set(stream, { commands, waiting: [] }),
    readsOf: (stream: string) => reads.get(stream) ?? 0,
  };
}

describe('concurrent commands on one aggregate, through the retry on a version conflict', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let postgres: EventStore;
  let racing: ReturnType<typeof withRacingReads>;
  let aggregates: AggregateStore;
  const context = () => commandContext({ actor: 'support-tester' });

  beforeAll(async () => {
    database = await createTestDatabase('concurrent_commands');
    await runMigrations(database.url, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
    dataSource = await createDataSource(database.url, []).initialize();
    postgres = new PostgresEventStore({ connectionString: database.url, pollIntervalMs: 100 });
    racing = withRacingReads(postgres);
    aggregates = new AggregateStore(racing.store);
  });

  afterAll(async () => {
    await postgres?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('applies two concurrent edits of one customer, the loser decided again on the winner’s edit', async () => {
    const customers = new CustomerRecords(aggregates, dataSource);
    const changeDetails = new ChangeCustomerDetailsHandler(customers, aggregates);
    const { id } = await new RegisterCustomerHandler(aggregates).execute(
      new RegisterCustomer(context(), {
        firstName: 'Con',
        lastName: 'Current',
        email: null,
        phone: null,
        address: null,
      }),
    );
    const stream = customerStream(id);
    racing.race(stream, 2);
    const readsBefore = racing.readsOf(stream);

    const results = await Promise.all([
      changeDetails.execute(new ChangeCustomerDetails(context(), id, { email: 'con@example.com' })),
      changeDetails.execute(new ChangeCustomerDetails(context(), id, { phone: '+1 555 0199' })),
    ]);

    // Both read revision 0; the loser read once more after its append was refused.
    expect(racing.readsOf(stream) - readsBefore).toBe(3);
    expect(results.map((result) => result.events.map((event) => event.revision)).sort()).toEqual([['1'], ['2']]);
    const stored = await postgres.readStream(stream);
    expect(stored.map((event) => event.type)).toEqual([
      'CustomerRegistered',
      'CustomerDetailsChanged',
      'CustomerDetailsChanged',
    ]);
    expect(stored[2]!.data).toMatchObject({
      details: { firstName: 'Con', lastName: 'Current', email: 'con@example.com', phone: '+1 555 0199' },
    });
  });

  it('refuses the second of two concurrent cancellations for its reason, found when deciding again', async () => {
    const cancel = new CancelSubscriptionHandler(
      new SubscriptionRecords(aggregates, new ReadModelLookups(dataSource, racing.store)),
      aggregates,
    );
    const subscriptionId = '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d';
    const stream = subscriptionStream(subscriptionId);
    const started: SubscriptionStarted = {
      subscriptionId,
      customerId: 'c0ffee00-0000-4000-8000-000000000002',
      customerStripeId: null,
      item: {
        priceId: 'price_monthly',
        productId: 'prod_box',
        unitAmount: 1500,
        currency: 'eur',
        interval: 'month',
        intervalCount: 1,
      },
      couponId: null,
      trialDays: null,
      collection: 'send_invoice',
      daysUntilDue: 30,
      giftRecipientId: null,
      shippingAddress: null,
      shipmentsRemaining: null,
      replacesSubscriptionId: null,
    };
    await aggregates.append(stream, [{ type: 'SubscriptionStarted', data: started }], context(), 'no_stream');
    racing.race(stream, 2);
    const readsBefore = racing.readsOf(stream);

    const outcomes = await Promise.allSettled([
      cancel.execute(new CancelSubscription(context(), subscriptionId, 'period_end', 'moving abroad')),
      cancel.execute(new CancelSubscription(context(), subscriptionId, 'period_end', 'too expensive')),
    ]);

    expect(racing.readsOf(stream) - readsBefore).toBe(3);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const [refused] = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused!.reason).toBeInstanceOf(CommandRejected);
    expect(refused!.reason).toMatchObject({
      kind: 'conflict',
      problems: [`Subscription ${subscriptionId} is already set to cancel at period end`],
    });
    const stored = await postgres.readStream(stream);
    expect(stored.map((event) => event.type)).toEqual(['SubscriptionStarted', 'SubscriptionCancellationRequested']);
  });
});
