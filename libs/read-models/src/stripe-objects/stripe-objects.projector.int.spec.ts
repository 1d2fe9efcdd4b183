import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import type { RecordedEvent } from '@ledgerline/event-store';
import { ProjectionStore } from '@ledgerline/projections';
import { createTestDatabase, runMigrations, shuffle, type TestDatabase } from '@ledgerline/testing';
import { StripeObjects1763900000100 } from './stripe-objects.migration';
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
      `SELECT id, object_type, data, deleted, last_event_id, last_event_created, last_event_position, events_seen FROM ${table} ORDER BY id`,
    );

  beforeAll(async () => {
    database = await createTestDatabase('stripe_objects');
    await runMigrations(database.url, [StripeObjects1763900000100]);
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
    expect(row.events_seen).toBe(candidates.length);
  });
});
