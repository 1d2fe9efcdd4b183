import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { EVENT_STORE_MIGRATIONS, type NewEvent, PostgresEventStore } from '@ledgerline/event-store';
import { READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import {
  buildOnce,
  createTestDatabase,
  eventually,
  runMigrations,
  type RunningProcess,
  startUntil,
  stopProcess,
  type TestDatabase,
  WORKER_MAIN,
} from '@ledgerline/testing';

const OBJECTS = 200;
const EVENTS_PER_OBJECT = 50;
/** Small batches, so that the rebuild is still under way when its worker is killed. */
const ENV = { PROJECTION_BATCH_SIZE: '10' };

function history(o: number): NewEvent[] {
  return Array.from({ length: EVENTS_PER_OBJECT }, (_, e) => ({
    type: 'customer.updated',
    data: {
      id: `evt_rb_${o}_${e}`,
      object: 'event',
      type: 'customer.updated',
      created: 1_700_000_000 + e,
      data: { object: { id: `cus_rb_${o}`, object: 'customer', balance: e * 100 + o } },
    },
    metadata: { source: 'stripe' as const, stripeEventId: `evt_rb_${o}_${e}` },
  }));
}

/** A rebuild whose worker dies is finished by the worker that takes the projection over, once. */
describe('a rebuild survives the death of its worker', () => {
  let database: TestDatabase;
  let client: Client;
  const running: RunningProcess[] = [];

  const position = async (name: string): Promise<bigint | null> => {
    const { rows } = await client.query(`SELECT position FROM projections.projection_state WHERE name = $1`, [name]);
    return rows[0] ? BigInt(rows[0].position) : null;
  };
  const objects = async (): Promise<unknown[]> =>
    (
      await client.query(
        `SELECT id, last_event_id, last_event_position, events_seen FROM stripe_objects WHERE id LIKE 'cus_rb_%' ORDER BY id`,
      )
    ).rows;
  const start = async (): Promise<RunningProcess> => {
    const worker = await startUntil(WORKER_MAIN, { DATABASE_URL: database.url, ...ENV }, /worker running/);
    running.push(worker);
    return worker;
  };

  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('rebuild_failover');
    await runMigrations(database.url, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
    const store = new PostgresEventStore({ connectionString: database.url });
    for (let o = 0; o < OBJECTS; o++) await store.append(`stripe_customer-cus_rb_${o}`, history(o));
    await store.close();
    client = new Client({ connectionString: database.url });
    await client.connect();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(running.map((worker) => stopProcess(worker.child, 'SIGTERM')));
    await client?.end();
    await database?.drop();
  });

  it('is taken back up by the next owner and switched over once', async () => {
    const head = BigInt((await client.query(`SELECT max(position) AS head FROM event_store.events`)).rows[0].head);
    const first = await start();
    await eventually(async () => (await position('stripe_objects')) === head, 60_000, 'the live projection');
    const before = await objects();
    expect(before).toHaveLength(OBJECTS);

    await client.query(
      `INSERT INTO projections.rebuild_requests (projection, status, reason) VALUES ('stripe_objects', 'requested', 'test')`,
    );
    await eventually(
      async () => ((await position('stripe_objects:rebuild')) ?? 0n) > 0n,
      30_000,
      'the rebuild to be under way',
    );
    const reached = (await position('stripe_objects:rebuild'))!;
    await stopProcess(first.child, 'SIGKILL');
    expect(reached).toBeLessThan(head); // killed mid-rebuild

    const second = await start();
    await eventually(
      async () =>
        (await client.query(`SELECT status FROM projections.rebuild_requests`)).rows.every(
          (row) => row.status === 'done',
        ),
      60_000,
      'the rebuild to be switched over',
    );
    expect(second.output()).toMatch(/stripe_objects: took over a rebuild its previous worker left \(requested\)/);
    const { rows: requests } = await client.query(`SELECT status FROM projections.rebuild_requests`);
    expect(requests).toEqual([{ status: 'done' }]);
    expect(await position('stripe_objects:rebuild')).toBeNull();
    expect(await position('stripe_objects')).toBe(head);
    const { rows: shadows } = await client.query(`SELECT to_regclass('stripe_objects__next') AS shadow`);
    expect(shadows[0].shadow).toBeNull();
    expect(await objects()).toEqual(before);
  }, 180_000);
});
