import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import type { RecordedEvent } from '../event-store.port';
import { EVENT_STORE_MIGRATIONS } from './event-store-schema.migration';
import { PostgresEventStore } from './postgres-event-store';

/**
 * The mechanism behind gap-free order (docs/decisions/0001): an append whose transaction is still
 * open holds the position lock, so a later append waits for it and no reader can see a position
 * that an open transaction would commit below.
 */
describe('PostgreSQL store: positions become visible in commit order', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('commit_order');
    await runMigrations(database.url, EVENT_STORE_MIGRATIONS);
    store = new PostgresEventStore({ connectionString: database.url, pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('makes a later append wait for an open one, and a reader sees both in position order', async () => {
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({
      from: 'end',
      handler: async (events) => {
        seen.push(...events);
      },
    });
    await subscription.caughtUp;

    const slow = new Client({ connectionString: database.url });
    await slow.connect();
    await slow.query('BEGIN');
    await slow.query(
      `SELECT event_store.insert_events(ARRAY[gen_random_uuid()], ARRAY['order-slow'], ARRAY[0::bigint], ARRAY['order'], ARRAY['Slow'],
         ARRAY['{}'::json], ARRAY['{"source":"system"}'::jsonb], ARRAY['order-slow'], ARRAY['order'], ARRAY[0::bigint])`,
    );

    let fastDone = false;
    const fast = store.append('order-fast', [{ type: 'Fast', data: {}, metadata: { source: 'system' } }]).then((r) => {
      fastDone = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fastDone).toBe(false);
    expect(seen).toEqual([]);

    await slow.query('COMMIT');
    await slow.end();
    const fastResult = await fast;
    for (let waited = 0; seen.length < 2 && waited < 5_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await subscription.stop();
    expect(seen.map((e) => e.type)).toEqual(['Slow', 'Fast']);
    expect(seen[1]!.position).toBe(seen[0]!.position + 1n);
    expect(fastResult.events[0]!.position).toBe(seen[1]!.position);
  });
});
