import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore, type RecordedEvent } from '@ledgerline/event-store';
import { ProjectionStore } from '@ledgerline/projections';
import { createTestDatabase, runMigrations, shuffle, type TestDatabase } from '@ledgerline/testing';
import { StripeObjects1763900000100, StripeObjectsByReference1764000002100 } from './stripe-objects.migration';
import { findStripeObject } from './stripe-objects.query';
import { StripeObjectsProjector } from './stripe-objects.projector';

/** Events for a few objects, out of order, with same-second ties and deletions. */
function events(): RecordedEvent[] {
  const shuffled = shuffle(
    Array.from({ length: 300 }, (_, i) => ({ object: i % 7, created: 1_700_000_000 + ((i * 13) % 11), i })),
    5,
  );
  return shuffled.map(({ object, created, i }, index) => ({
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    type: i % 50 === 49 ? 'customer.deleted' : 'customer.updated',
    stream: `stripe_customer-cus_${object}`,
    revision: 0n,
    position: BigInt(index + 1),
    data: {
      id: `evt_${i}`,
      type: 'customer.updated',
      created,
      data: { object: { id: `cus_${object}`, object: 'customer', n: i } },
    },
    metadata: { source: 'stripe', recordedAt: new Date(0).toISOString() },
  }));
}

describe('StripeObjectsProjector', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let projections: ProjectionStore;
  const projector = new StripeObjectsProjector();
  const rows = (table: string) =>
    dataSource.query(
      `SELECT id, object_type, data, last_store_event_id, deleted, last_event_id, last_event_created, last_event_position, events_seen FROM ${table} ORDER BY id`,
    );

  beforeAll(async () => {
    database = await createTestDatabase('stripe_objects');
    await runMigrations(database.url, [
      ...EVENT_STORE_MIGRATIONS,
      StripeObjects1763900000100,
      StripeObjectsByReference1764000002100,
    ]);
    dataSource = await createDataSource(database.url, []).initialize();
    await dataSource.query(`CREATE TABLE stripe_objects_batched (LIKE stripe_objects INCLUDING ALL)`);
    projections = new ProjectionStore(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('gives the same rows applied one by one and in batches of any size', async () => {
    const all = events();
    for (const event of all) await projections.transaction((tx) => projector.apply(event, tx));
    for (let start = 0, size = 1; start < all.length; start += size, size = (size * 7) % 61 || 3) {
      const batch = all.slice(start, start + size);
      await projections.transaction((tx) => projector.applyBatch(batch, tx), {
        stripe_objects: 'stripe_objects_batched',
      });
    }
    const single = await rows('stripe_objects');
    expect(single).toHaveLength(7);
    expect(await rows('stripe_objects_batched')).toEqual(single);
  });

  it('keeps the newest snapshot by created, the later-recorded one in a same-second tie', async () => {
    const [row] = await dataSource.query(`SELECT * FROM stripe_objects WHERE id = 'cus_0'`);
    const candidates = events().filter((e) => e.stream === 'stripe_customer-cus_0');
    const newest = Math.max(...candidates.map((e) => (e.data as { created: number }).created));
    const winner = candidates.filter((e) => (e.data as { created: number }).created === newest).at(-1)!;
    expect(row.last_event_id).toBe((winner.data as { id: string }).id);
    expect(row.last_store_event_id).toBe(winner.id);
    expect(row.data).toBeNull();
    expect(row.events_seen).toBe(candidates.length);
  });

  it('serves the snapshot from the event it points at, normalised, and a copy left by version 1 until a newer one', async () => {
    const store = new PostgresEventStore({ connectionString: database.url });
    try {
      // A 2019 subscription: its period is on the subscription, normalisation copies it to the items.
      const subscription = {
        id: 'sub_ref',
        object: 'subscription',
        current_period_start: 1_560_000_000,
        current_period_end: 1_562_592_000,
        items: { object: 'list', data: [{ id: 'si_ref', object: 'subscription_item' }] },
      };
      await store.append('stripe_subscription-sub_ref', [
        {
          type: 'customer.subscription.updated',
          data: { id: 'evt_ref', object: 'event', created: 1_560_000_100, data: { object: subscription } },
          metadata: { source: 'stripe', stripeEventId: 'evt_ref' },
        },
      ]);
      // Version 1 left a copy for sub_ref (older) and for sub_legacy (no newer event since).
      await dataSource.query(
        `INSERT INTO stripe_objects (id, object_type, data, deleted, last_event_id, last_event_created, last_event_position, events_seen)
         VALUES ('sub_ref', 'subscription', '{"id":"sub_ref","stale":true}', false, 'evt_old', 1560000000, 0, 1),
                ('sub_legacy', 'subscription', '{"id":"sub_legacy"}', false, 'evt_legacy', 1560000000, 0, 1)`,
      );
      const { events } = await store.readAll({
        from: 0n,
        maxCount: 10,
        filter: { categories: ['stripe_subscription'] },
      });
      await projections.transaction((tx) => projector.applyBatch(events, tx));

      const [row] = await dataSource.query(`SELECT data, last_store_event_id FROM stripe_objects WHERE id = 'sub_ref'`);
      expect(row).toEqual({ data: null, last_store_event_id: events[0]!.id });
      const found = await findStripeObject(dataSource, store, 'sub_ref');
      expect(found).toMatchObject({ id: 'sub_ref', object: 'subscription', lastEventId: 'evt_ref', eventsSeen: 2 });
      const items = (found!.data as { items: { data: Record<string, unknown>[] } }).items.data;
      expect(items[0]).toMatchObject({ current_period_start: 1_560_000_000, current_period_end: 1_562_592_000 });
      expect((await findStripeObject(dataSource, store, 'sub_legacy'))!.data).toEqual({ id: 'sub_legacy' });
      expect(await findStripeObject(dataSource, store, 'sub_nobody')).toBeNull();

      await dataSource.query(
        `UPDATE stripe_objects SET last_store_event_id = '00000000-0000-4000-8000-999999999999' WHERE id = 'sub_ref'`,
      );
      await expect(findStripeObject(dataSource, store, 'sub_ref')).rejects.toThrow(/not in the store/);
    } finally {
      await store.close();
    }
  });
});
