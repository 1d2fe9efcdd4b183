import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  EVENT_STORE_MIGRATIONS,
  type EventStore,
  PostgresEventStore,
  type ReadAllOptions,
  type RecordedEvent,
} from '@ledgerline/event-store';
import { createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { positionAt } from './position-at-time';

/** What a linear scan says: the last position recorded before `time` (0 if none). */
function expected(events: RecordedEvent[], time: number): bigint {
  let last = 0n;
  for (const event of events) if (Date.parse(event.metadata.recordedAt) < time) last = event.position;
  return last;
}

/** Every instant worth asking about: each event's time, and just before and after it. */
function probes(events: RecordedEvent[]): number[] {
  return [...new Set(events.flatMap((event) => [-1, 0, 1].map((d) => Date.parse(event.metadata.recordedAt) + d)))];
}

describe('positionAt (time to position)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let events: RecordedEvent[];

  beforeAll(async () => {
    database = await createTestDatabase('replay_position_at');
    await runMigrations(database.url, EVENT_STORE_MIGRATIONS);
    store = new PostgresEventStore({ connectionString: database.url });
    // Bursts a few milliseconds apart: many events share a millisecond, some gaps lie between.
    for (let burst = 0; burst < 12; burst++) {
      await Promise.all(
        Array.from({ length: 1 + (burst % 4) * 7 }, (_, i) =>
          store.append(`order-${burst}-${i}`, [{ type: 'Placed', data: { burst }, metadata: { source: 'system' } }]),
        ),
      );
      await sleep(3 + (burst % 3) * 5);
    }
    events = (await store.readAll({ maxCount: 10_000 })).events;
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('splits the PostgreSQL store where a linear scan does, at every event time and either side of it', async () => {
    expect(events.length).toBeGreaterThan(100);
    for (const time of probes(events)) {
      expect([new Date(time).toISOString(), await positionAt(store, new Date(time))]).toEqual([
        new Date(time).toISOString(),
        expected(events, time),
      ]);
    }
  });

  it('answers 0 before the first event and the head after the last one', async () => {
    const head = await store.headPosition();
    expect(await positionAt(store, new Date(0))).toBe(0n);
    expect(await positionAt(store, new Date(Date.now() + 60_000))).toBe(head);
  });

  it('never looks past the head it is given', async () => {
    const middle = events[Math.floor(events.length / 2)]!;
    expect(await positionAt(store, new Date(Date.now() + 60_000), middle.position)).toBe(middle.position);
  });

  it('searches a sparse position space (EventStoreDB log positions) with few reads', async () => {
    // Positions far apart and beyond 2^53, as EventStoreDB's commit positions can be.
    const sparse = events.map((event, i) => ({ ...event, position: 2n ** 60n + BigInt(i) * 7_919n + 13n }));
    const reads = { count: 0 };
    const fake = sparseStore(sparse, reads);
    for (const time of probes(events).filter((_, i) => i % 5 === 0)) {
      reads.count = 0;
      expect(await positionAt(fake, new Date(time))).toBe(expected(sparse, time));
      expect(reads.count).toBeLessThanOrEqual(66);
    }
  });

  it('answers 0 for an empty store', async () => {
    expect(await positionAt(sparseStore([], { count: 0 }), new Date())).toBe(0n);
  });
});

/** Just enough of a store for positionAt: readAll forwards (exclusive `from`) and the head. */
function sparseStore(events: RecordedEvent[], reads: { count: number }): EventStore {
  return {
    headPosition: async () => events[events.length - 1]?.position ?? 0n,
    readAll: async ({ from = 0n, maxCount = 1 }: ReadAllOptions = {}) => {
      reads.count++;
      const found = events.filter((event) => event.position > from).slice(0, maxCount);
      return { events: found, nextFrom: found[found.length - 1]?.position ?? from };
    },
  } as unknown as EventStore;
}
