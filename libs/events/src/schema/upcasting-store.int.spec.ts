import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  EVENT_STORE_MIGRATIONS,
  type EventStore,
  type NewEvent,
  PostgresEventStore,
  type RecordedEvent,
} from '@ledgerline/event-store';
import { createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { currentSchemaVersion } from './schema-registry';
import { UnknownSchemaVersionError } from './upcast-event';
import { withUpcasting } from './upcasting-store';

const ISSUED = '2026-03-01T10:00:00.000Z';
const PERIOD_END = '2026-04-01T00:00:00.000Z';
const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';

const cancellation = (when: 'now' | 'period_end', extra: object = {}) => ({
  subscriptionId: 'sub_1',
  customerId: CUSTOMER,
  when,
  reason: null,
  ...extra,
});

const platform = (type: string, data: object, schemaVersion?: number): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: {
    source: 'platform',
    occurredAt: ISSUED,
    actor: 'support:alice',
    ...(schemaVersion === undefined ? {} : { schemaVersion }),
  },
});

/**
 * Stored events of each version (v1 with version 1 and with none, as old writers left it out; v2 as
 * written today) and what every read must hand out for them.
 */
const SUBSCRIPTION_STREAM = `subscription-${randomUUID()}`;
const stored = [
  platform('SubscriptionCancellationRequested', cancellation('now'), 1),
  platform('SubscriptionCancellationRequested', cancellation('period_end')),
  platform(
    'SubscriptionCancellationRequested',
    cancellation('period_end', { effectiveAt: PERIOD_END }),
    currentSchemaVersion('SubscriptionCancellationRequested', 'platform'),
  ),
];
const expected: Record<string, { data: object; schemaVersion: number }> = {
  [stored[0]!.id!]: { data: cancellation('now', { effectiveAt: ISSUED }), schemaVersion: 2 },
  [stored[1]!.id!]: { data: cancellation('period_end', { effectiveAt: null }), schemaVersion: 2 },
  [stored[2]!.id!]: { data: cancellation('period_end', { effectiveAt: PERIOD_END }), schemaVersion: 2 },
};

const CUSTOMER_STREAM = `customer-${CUSTOMER}`;
const registered = platform('CustomerRegistered', { customerId: CUSTOMER, details: { firstName: 'Ada' } });
expected[registered.id!] = { data: registered.data as object, schemaVersion: 1 };

const STRIPE_STREAM = 'stripe_invoice-in_1';
const paid: NewEvent = {
  id: randomUUID(),
  type: 'invoice.paid',
  data: { id: 'evt_1', object: 'event', type: 'invoice.paid', data: { object: { id: 'in_1', object: 'invoice' } } },
  metadata: { source: 'stripe', stripeEventId: 'evt_1', schemaVersion: 1 },
};
expected[paid.id!] = { data: paid.data as object, schemaVersion: 1 };

function expectCurrent(events: RecordedEvent[]): void {
  for (const event of events) {
    const want = expected[event.id];
    if (!want) continue;
    expect({ id: event.id, data: event.data, schemaVersion: event.metadata.schemaVersion }).toEqual({
      id: event.id,
      ...want,
    });
  }
  expect(events.filter((event) => expected[event.id]).length).toBeGreaterThan(0);
}

describe('withUpcasting over the PostgreSQL event store', () => {
  let database: TestDatabase;
  let raw: EventStore;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase('upcasting_store');
    await runMigrations(database.url, EVENT_STORE_MIGRATIONS);
    raw = new PostgresEventStore({ connectionString: database.url, pollIntervalMs: 100 });
    store = withUpcasting(raw);
    await raw.append(SUBSCRIPTION_STREAM, stored);
    await raw.append(CUSTOMER_STREAM, [registered]);
    await raw.append(STRIPE_STREAM, [paid]);
    await raw.append('probe-1', [{ type: 'Checked', data: { ok: true }, metadata: { source: 'system' } }]);
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('keeps the stored events as written: upcasting happens on read only', async () => {
    const [first, second] = await raw.readStream(SUBSCRIPTION_STREAM);
    expect(first!.data).toEqual(cancellation('now'));
    expect(first!.metadata.schemaVersion).toBe(1);
    expect(second!.metadata).not.toHaveProperty('schemaVersion');
  });

  it('says which events were upcast from which stored version', async () => {
    const read = await store.readStream(SUBSCRIPTION_STREAM);
    expect(read.map((event) => event.metadata.storedSchemaVersion)).toEqual([1, 1, undefined]);
  });

  it('readStream, forwards and backwards: every version comes back current', async () => {
    const forwards = await store.readStream(SUBSCRIPTION_STREAM);
    expect(forwards.map((event) => event.id)).toEqual(stored.map((event) => event.id));
    expectCurrent(forwards);
    const backwards = await store.readStream(SUBSCRIPTION_STREAM, { direction: 'backwards' });
    expect(backwards.map((event) => event.id)).toEqual(stored.map((event) => event.id).reverse());
    expectCurrent(backwards);
    expectCurrent(await store.readStream(CUSTOMER_STREAM));
    expectCurrent(await store.readStream(STRIPE_STREAM));
  });

  it('readAll, forwards and backwards, with and without a filter', async () => {
    const all = await store.readAll();
    expect(all.events).toHaveLength(6);
    expectCurrent(all.events);
    expectCurrent((await store.readAll({ direction: 'backwards' })).events);
    expectCurrent((await store.readAll({ filter: { categories: ['subscription'] } })).events);
  });

  it('readEventById', async () => {
    for (const event of [...stored, registered, paid]) expectCurrent([(await store.readEventById(event.id!))!]);
    expect(await store.readEventById(randomUUID())).toBeNull();
  });

  it('leaves events of types it does not know as stored', async () => {
    const [probe] = await store.readStream('probe-1');
    expect(probe!.data).toEqual({ ok: true });
    expect(probe!.metadata).not.toHaveProperty('schemaVersion');
  });

  it('subscribeToAll: the handler gets current versions', async () => {
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({ batchSize: 2, handler: async (events) => void seen.push(...events) });
    await subscription.caughtUp;
    await subscription.stop();
    expect(seen).toHaveLength(6);
    expectCurrent(seen);
  });

  it('consumer groups: deliveries and parked events come back current', async () => {
    const group = `upcasting-${randomUUID()}`;
    await store.consumerGroups.create(group, { filter: { categories: ['subscription'] }, ackTimeoutMs: 30_000 });
    const member = await store.consumerGroups.join(group, 'm');
    expect(member).toMatchObject({ group, memberId: 'm' });
    const deliveries = await member.receive(10, 5_000);
    expect(deliveries).toHaveLength(3);
    expectCurrent(deliveries.map((delivery) => delivery.event));
    await member.nack(stored[0]!.id!, { park: true, reason: 'checking listParked' });
    await member.ack([stored[1]!.id!, stored[2]!.id!]);
    const parked = await store.consumerGroups.listParked(group);
    expect(parked.map((entry) => entry.event.id)).toEqual([stored[0]!.id]);
    expectCurrent(parked.map((entry) => entry.event));
    await member.close();
    await store.consumerGroups.delete(group);
  });

  describe('a stored version newer than this code knows', () => {
    const future = platform('SubscriptionCancellationRequested', { effective: 'someday' }, 3);
    const stream = `subscription-${randomUUID()}`;

    beforeAll(() => raw.append(stream, [future]));

    it('fails reads with UnknownSchemaVersionError instead of guessing a shape', async () => {
      await expect(store.readStream(stream)).rejects.toThrow(UnknownSchemaVersionError);
      await expect(store.readEventById(future.id!)).rejects.toThrow(/has schema version 3/);
      await expect(store.readAll()).rejects.toThrow(UnknownSchemaVersionError);
      expect((await raw.readStream(stream))[0]!.data).toEqual({ effective: 'someday' });
    });

    it('stops a subscription on it, as a failing handler would', async () => {
      const handled: RecordedEvent[] = [];
      const subscription = store.subscribeToAll({ handler: async (events) => void handled.push(...events) });
      await expect(subscription.done).rejects.toThrow(UnknownSchemaVersionError);
      expect(handled.map((event) => event.id)).not.toContain(future.id);
    });

    it('fails a consumer group receive that includes it', async () => {
      const group = `upcasting-future-${randomUUID()}`;
      await store.consumerGroups.create(group, { filter: { categories: ['subscription'] } });
      const member = await store.consumerGroups.join(group, 'm');
      await expect(member.receive(10, 5_000)).rejects.toThrow(UnknownSchemaVersionError);
      await member.close();
      await store.consumerGroups.delete(group);
    });
  });
});
