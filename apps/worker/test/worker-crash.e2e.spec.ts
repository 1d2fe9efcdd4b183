import {
  buildOnce,
  createTestDatabase,
  runMigrations,
  startUntil,
  stopProcess,
  type TestDatabase,
  WORKER_MAIN,
} from '@ledgerline/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS, type NewEvent, PostgresEventStore } from '@ledgerline/event-store';
import { ProjectionRunner, ProjectionStore } from '@ledgerline/projections';
import { StripeObjectsProjector } from '@ledgerline/read-models';
import { READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';

const OBJECTS = 400;
const EVENTS_PER_OBJECT = 50;

/** Stripe events for many customers, several per second: a deterministic history. */
function history(): { stream: string; events: NewEvent[] }[] {
  return Array.from({ length: OBJECTS }, (_, o) => ({
    stream: `stripe_customer-cus_${o}`,
    events: Array.from({ length: EVENTS_PER_OBJECT }, (_, e) => ({
      type: 'customer.updated',
      data: {
        id: `evt_${o}_${e}`,
        object: 'event',
        type: 'customer.updated',
        created: 1_700_000_000 + ((e * 7919 + o) % 37),
        data: { object: { id: `cus_${o}`, object: 'customer', balance: e * 100 + o } },
      },
      metadata: { source: 'stripe' as const, stripeEventId: `evt_${o}_${e}` },
    })),
  }));
}

async function seed(url: string): Promise<bigint> {
  const store = new PostgresEventStore({ connectionString: url });
  for (const { stream, events } of history()) await store.append(stream, events);
  const head = await store.headPosition();
  await store.close();
  return head;
}

async function rows(dataSource: DataSource): Promise<unknown[]> {
  return dataSource.query(
    `SELECT id, object_type, account, deleted, last_event_id, last_event_created, last_event_position, events_seen
       FROM stripe_objects ORDER BY id`,
  );
}

async function positionOf(dataSource: DataSource): Promise<bigint> {
  const [state] = await dataSource.query(
    `SELECT position FROM projections.projection_state WHERE name = 'stripe_objects'`,
  );
  return state ? BigInt(state.position) : 0n;
}

/** A worker killed (SIGKILL) mid-projection and restarted ends with exactly a clean build's rows. */
describe('the worker survives SIGKILL mid-batch', () => {
  let crashed: TestDatabase;
  let clean: TestDatabase;
  beforeAll(async () => {
    buildOnce();
    [crashed, clean] = await Promise.all([createTestDatabase('worker_crash'), createTestDatabase('worker_clean')]);
    await Promise.all(
      [crashed, clean].map((db) => runMigrations(db.url, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS])),
    );
  }, 120_000);
  afterAll(async () => Promise.all([crashed?.drop(), clean?.drop()]));

  it('resumes from its checkpoint and ends with the same read model as a clean build', async () => {
    const head = await seed(crashed.url);
    expect(await seed(clean.url)).toBe(head);
    const dataSource = await createDataSource(crashed.url, []).initialize();
    try {
      const env = { DATABASE_URL: crashed.url };
      const first = await startUntil(WORKER_MAIN, env, /worker started/);
      let killedAt = 0n;
      for (let waited = 0; waited < 30_000; waited += 5) {
        killedAt = await positionOf(dataSource);
        if (killedAt > 0n) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await stopProcess(first.child, 'SIGKILL');
      expect(killedAt).toBeGreaterThan(0n);
      expect(killedAt).toBeLessThan(head); // killed while it still had work to do

      const second = await startUntil(WORKER_MAIN, env, /worker started/);
      for (let waited = 0; (await positionOf(dataSource)) < head; waited += 50) {
        if (waited > 30_000) throw new Error('worker did not catch up after the restart');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await stopProcess(second.child, 'SIGTERM');
      const afterCrash = await rows(dataSource);

      const cleanSource = await createDataSource(clean.url, []).initialize();
      const cleanStore = new PostgresEventStore({ connectionString: clean.url });
      const runner = new ProjectionRunner(new StripeObjectsProjector(), cleanStore, new ProjectionStore(cleanSource));
      await runner.start();
      while ((await positionOf(cleanSource)) < head) await new Promise((resolve) => setTimeout(resolve, 50));
      await runner.stop();
      const cleanRows = await rows(cleanSource);
      await cleanStore.close();
      await cleanSource.destroy();

      expect(afterCrash).toHaveLength(OBJECTS);
      expect(afterCrash).toEqual(cleanRows);
    } finally {
      await dataSource.destroy();
    }
  }, 180_000);
});
