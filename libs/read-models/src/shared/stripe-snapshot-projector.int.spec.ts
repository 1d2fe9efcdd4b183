import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import type { RecordedEvent } from '@ledgerline/event-store';
import { ProjectionStore } from '@ledgerline/projections';
import { createTestDatabase, runMigrations, shuffle, type TestDatabase } from '@ledgerline/testing';
import { customersProjector } from '../customers/customers.projector';
import { SUPPORT_READ_MODEL_MIGRATIONS } from '../support-migrations';
import { subscriptionsProjector } from '../subscriptions/subscriptions.projector';
import { platformCustomerId } from './stripe-refs';

const PLATFORM_ID = '7d1c1e43-3f6f-4c1e-9a55-2b9b8c7d0e11';

function event(index: number, type: string, created: number, object: Record<string, unknown>): RecordedEvent {
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    type,
    stream: `stripe_${String(object.object)}-${String(object.id)}`,
    revision: 0n,
    position: BigInt(index + 1),
    data: { id: `evt_${index}`, object: 'event', type, created, data: { object } },
    metadata: { source: 'stripe', recordedAt: new Date(0).toISOString() },
  };
}

/** Customers (two linked to one platform customer), with a deletion stub; subscriptions changing status. */
function history(): Omit<RecordedEvent, 'position' | 'id'>[] {
  const events: RecordedEvent[] = [];
  const customer = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
    id,
    object: 'customer',
    name,
    email: `${id}@example.com`,
    address: { line1: `${name} street 1`, city: 'Lyon', country: 'FR' },
    ...extra,
  });
  for (let i = 0; i < 40; i++) {
    const id = `cus_${i % 5}`;
    events.push(
      event(
        events.length,
        i === 0 ? 'customer.created' : 'customer.updated',
        1_700_000_000 + i,
        customer(id, `Name ${i}`),
      ),
    );
  }
  events.push(
    event(events.length, 'customer.deleted', 1_700_000_100, { id: 'cus_1', object: 'customer', deleted: true }),
  );
  const linked = { metadata: { ledgerline_customer_id: PLATFORM_ID } };
  events.push(event(events.length, 'customer.created', 1_700_000_200, customer('cus_a', 'Ada Lovelace', linked)));
  events.push(event(events.length, 'customer.created', 1_700_000_300, customer('cus_b', 'Ada King', linked)));
  const statuses = ['trialing', 'active', 'past_due', 'active', 'canceled'];
  statuses.forEach((status, i) =>
    events.push(
      event(
        events.length,
        i === 4 ? 'customer.subscription.deleted' : 'customer.subscription.updated',
        1_700_001_000 + i,
        {
          id: 'sub_1',
          object: 'subscription',
          customer: 'cus_0',
          status,
          items: { object: 'list', data: [{ id: 'si_1', price: { id: 'price_1', product: 'prod_1' }, quantity: 1 }] },
        },
      ),
    ),
  );
  return events;
}

/** Positions follow arrival order, as in the store. */
function arrival(order: Omit<RecordedEvent, 'position' | 'id'>[]): RecordedEvent[] {
  return order.map((e, index) => ({
    ...e,
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    position: BigInt(index + 1),
  }));
}

describe('StripeSnapshotProjector', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let projections: ProjectionStore;
  const projectors = [customersProjector(), subscriptionsProjector()];
  const TABLES = ['customers', 'subscriptions', 'subscription_observations'];

  beforeAll(async () => {
    database = await createTestDatabase('snapshot_projector');
    // Every read-model migration, as production runs them: a column a later one adds is written too.
    await runMigrations(database.url, SUPPORT_READ_MODEL_MIGRATIONS);
    dataSource = await createDataSource(database.url, []).initialize();
    projections = new ProjectionStore(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  /** Columns that record arrival (positions: every stamp's, the event's), which differ by order by design. */
  const isArrival = (column: string) => column.endsWith('_position') || column === 'store_event_id';
  const reset = () => dataSource.query(`TRUNCATE ${TABLES.join(', ')}`);
  const state = async () =>
    Object.fromEntries(
      await Promise.all(
        TABLES.map(async (table) => {
          const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM ${table} ORDER BY 1, 2`);
          return [
            table,
            rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !isArrival(column)))),
          ];
        }),
      ),
    );
  const feed = async (events: RecordedEvent[], batchSize: number) => {
    for (let i = 0; i < events.length; i += batchSize) {
      const batch = events.slice(i, i + batchSize);
      for (const projector of projectors) await projections.transaction((tx) => projector.applyBatch(batch, tx));
    }
  };

  it('ends with the same rows in any arrival order and batch size, redeliveries included', async () => {
    const original = history();
    await feed(arrival(original), 1);
    const expected = await state();
    for (const [seed, size] of [
      [1, 1],
      [2, 7],
      [3, 100],
    ] as const) {
      await reset();
      const order = shuffle(original, seed);
      await feed(arrival([...order, ...order.slice(0, 10)]), size);
      expect(await state()).toEqual(expected);
    }
  });

  it('keeps the newest snapshot, marks a deletion without wiping the record, and links Stripe ids to one customer', async () => {
    const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM customers ORDER BY stripe_id`);
    const byStripe = (id: string) => rows.find((row) => (row.stripe_ids as string[]).includes(id))!;
    expect(byStripe('cus_0')).toMatchObject({ name: 'Name 35', first_name: 'Name', last_name: '35', deleted: false });
    expect(byStripe('cus_1')).toMatchObject({ name: 'Name 36', deleted: true, last_event_id: 'evt_40' });
    expect(byStripe('cus_0').id).toBe(platformCustomerId('cus_0', null));
    const ada = byStripe('cus_a');
    expect(ada).toMatchObject({
      id: PLATFORM_ID,
      stripe_ids: ['cus_a', 'cus_b'],
      name: 'Ada King',
      stripe_id: 'cus_b',
    });
    expect(ada.search_text).toContain('ada king street 1');
    expect(rows).toHaveLength(6);
  });

  it('records one observation per subscription event and keeps the subscription at its newest status', async () => {
    const [subscription] = await dataSource.query(`SELECT status, product_ids, deleted FROM subscriptions`);
    expect(subscription).toEqual({ status: 'canceled', product_ids: ['prod_1'], deleted: false });
    const observations: { status: string }[] = await dataSource.query(
      `SELECT status FROM subscription_observations ORDER BY event_created`,
    );
    expect(observations.map((o) => o.status)).toEqual(['trialing', 'active', 'past_due', 'active', 'canceled']);
  });
});
