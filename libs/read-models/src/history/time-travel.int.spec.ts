import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS, type NewEvent, PostgresEventStore } from '@ledgerline/event-store';
import { ProjectionEngine1763900000000, ProjectionStore, type Projector } from '@ledgerline/projections';
import { createTestDatabase, loadObjectFixture, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { customersProjector } from '../customers/customers.projector';
import { type CustomerView, findCustomer } from '../customers/customers.query';
import { SUPPORT_READ_MODEL_MIGRATIONS } from '../support-migrations';
import { EntityHistory1764000001100 } from './entity-history.migration';
import { EntityHistoryProjector, SNAPSHOT_EVERY } from './entity-history.projector';
import { customerAsOf } from './records-as-of';

const ADA = '3c9a6a52-0d55-4f0e-9a63-8f6f3e1f2a01';
const T0 = 1_760_000_000;

/** A Stripe customer.updated as the webhook stores it (the object a real fixture with overrides). */
function customerUpdated(n: number, created: number, email: string): NewEvent {
  return {
    type: 'customer.updated',
    data: {
      id: `evt_tt_${n}`,
      object: 'event',
      type: 'customer.updated',
      created,
      data: {
        object: {
          ...loadObjectFixture('customer'),
          id: 'cus_tt',
          email,
          name: `Ada ${n}`,
          balance: -n,
          metadata: { ledgerline_customer_id: ADA },
        },
      },
    },
    metadata: { source: 'stripe', stripeEventId: `evt_tt_${n}` },
  };
}

describe('time travel (customerAsOf) over snapshots', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let projections: ProjectionStore;
  const projectors: Projector[] = [customersProjector(), new EntityHistoryProjector()];
  let projected = 0n;

  /** What the worker does: every projector over the events it has not seen, in batches. */
  const project = async (batchSize: number) => {
    for (;;) {
      const { events, nextFrom } = await store.readAll({ from: projected, maxCount: batchSize });
      if (!events.length) return;
      for (const projector of projectors) {
        await projections.transaction((tx) => projector.applyBatch!(events, tx));
      }
      projected = nextFrom;
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase('time_travel');
    await runMigrations(database.url, [
      ...EVENT_STORE_MIGRATIONS,
      ProjectionEngine1763900000000,
      ...SUPPORT_READ_MODEL_MIGRATIONS,
      EntityHistory1764000001100,
    ]);
    dataSource = await createDataSource(database.url, []).initialize();
    store = new PostgresEventStore({ connectionString: database.url });
    projections = new ProjectionStore(dataSource);
  });
  afterAll(async () => {
    await store?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('gives the record the read model showed at each instant, across snapshots, in any batch size', async () => {
    const captured: { at: Date; view: CustomerView }[] = [];
    let n = 0;
    // Five chapters of a busy customer's life: Stripe updates, a platform edit, updates arriving late.
    for (const chapter of [180, 70, 1, 240, 60]) {
      const events: NewEvent[] = [];
      for (let i = 0; i < chapter; i++, n++) {
        // Every seventh update is older than the one before it: out of order, as Stripe delivers.
        const created = T0 + n * 10 - (n % 7 === 0 ? 25 : 0);
        events.push(customerUpdated(n, created, `ada+${n}@example.org`));
      }
      for (let i = 0; i < events.length; i += 50) await store.append('stripe_customer-cus_tt', events.slice(i, i + 50));
      if (chapter === 1) {
        await store.append(`customer-${ADA}`, [
          {
            type: 'CustomerDetailsChanged',
            data: {
              customerId: ADA,
              details: {
                firstName: 'Ada',
                lastName: 'Lovelace',
                email: 'ada@platform.example',
                phone: null,
                address: null,
              },
              changed: ['email'],
              stripeCustomerId: 'cus_tt',
            },
            metadata: { source: 'platform', actor: 'support-alice', occurredAt: new Date().toISOString() },
          },
        ]);
      }
      await project(chapter === 240 ? 500 : 37);
      await new Promise((resolve) => setTimeout(resolve, 5));
      captured.push({ at: new Date(), view: (await findCustomer(dataSource, ADA))! });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const [snapshots] = await dataSource.query<{ count: string }[]>(`SELECT count(*) FROM entity_history_snapshots`);
    expect(Number(snapshots!.count)).toBe(Math.floor((n + 1) / SNAPSHOT_EVERY));
    // The chapters really differ, so matching each proves the cut, not a constant.
    expect(new Set(captured.map((c) => c.view.balance)).size).toBe(captured.length);
    expect(captured.map((c) => c.view.email)).toContain('ada@platform.example');

    for (const { at, view } of captured) {
      const past = await customerAsOf(dataSource, store, ADA, at);
      expect(past?.view).toEqual(view);
      // Never more than a snapshot's worth of events read, however long the history.
      expect(past!.info.eventsRead).toBeLessThanOrEqual(SNAPSHOT_EVERY);
      expect(await customerAsOf(dataSource, store, 'cus_tt', at)).toEqual(past);
    }
    expect(await customerAsOf(dataSource, store, ADA, new Date('2000-01-01T00:00:00Z'))).toBeNull();
  });

  it('computes the same record without snapshots, by folding the whole history', async () => {
    const now = new Date();
    const withSnapshots = await customerAsOf(dataSource, store, ADA, now);
    await dataSource.query(`DELETE FROM entity_history_snapshots`);
    const whole = await customerAsOf(dataSource, store, ADA, now);
    expect(whole!.info.snapshotEvents).toBe(0);
    expect(whole!.info.eventsRead).toBeGreaterThan(SNAPSHOT_EVERY * 2);
    expect(whole!.view).toEqual(withSnapshots!.view);
    expect(whole!.view).toEqual(await findCustomer(dataSource, ADA));
  });
});
