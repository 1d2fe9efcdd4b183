import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { createTestDatabase, eventually, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { IdempotencyConflictError } from '../errors';
import type { NewEvent } from '../event-store.port';
import { EVENT_STORE_MIGRATIONS } from './event-store-schema.migration';
import { PostgresEventStore } from './postgres-event-store';

/**
 * Two processes appending the same event id to different streams: both batches pass their stream
 * locks, the loser's insert then fails on the unique id inside its pipelined insert + COMMIT, and the
 * batch is written again and decided against the winner's row.
 */
describe('PostgreSQL group commit: a batch that loses a race with another process', () => {
  let database: TestDatabase;
  let stores: [PostgresEventStore, PostgresEventStore];

  beforeAll(async () => {
    database = await createTestDatabase('group_commit_race');
    await runMigrations(database.url, EVENT_STORE_MIGRATIONS);
    stores = [0, 1].map(() => new PostgresEventStore({ connectionString: database.url })) as typeof stores;
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await database.drop();
  });

  it('reports the conflict, stores the event once, and keeps its connection usable', async () => {
    const id = randomUUID();
    const event = (): NewEvent => ({ id, type: 'Raced', data: { id }, metadata: { source: 'system' } });
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock(19532, 1)'); // the position lock: both batches queue on it

    const appends = [stores[0].append('race-a', [event()]), stores[1].append('race-b', [event()])];
    await eventually(
      async () => {
        const { rows } = await holder.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_locks
            WHERE locktype = 'advisory' AND classid = 19532 AND objid = 1 AND NOT granted`,
        );
        return rows[0]!.waiting >= 2;
      },
      10_000,
      'both appends queued on the position lock',
    );
    await holder.query('COMMIT');
    await holder.end();

    const outcomes = await Promise.allSettled(appends);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect([won.length, lost.length]).toEqual([1, 1]);
    expect(lost[0]!.reason).toBeInstanceOf(IdempotencyConflictError);
    const loser = stores[outcomes.indexOf(lost[0]!)];
    const stored = await loser.readEventById(id);
    expect(stored?.stream).toBe(outcomes[0]!.status === 'fulfilled' ? 'race-a' : 'race-b');

    const next = await loser.append('race-c', [{ type: 'After', data: {}, metadata: { source: 'system' } }]);
    expect(next.events[0]!.position).toBe(stored!.position + 1n);
  });
});
