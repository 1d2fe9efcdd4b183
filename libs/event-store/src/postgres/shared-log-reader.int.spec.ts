import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import type { EventFilter, NewEvent, RecordedEvent } from '../event-store.port';
import { EVENT_STORE_MIGRATIONS } from './event-store-schema.migration';
import { PostgresEventStore } from './postgres-event-store';
import { SharedLogReader, type SharedLogReaderOptions } from './shared-log-reader';

const FILTERS: (EventFilter | undefined)[] = [
  undefined,
  { eventTypePrefixes: ['invoice.'] },
  { categories: ['stripe_charge'] },
  { eventTypePrefixes: ['charge.refunded', 'customer.'] },
  { categories: ['nothing_here'] },
];

function batch(from: number, count: number): { stream: string; events: NewEvent[] }[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const [category, type] = [
      ['stripe_invoice', 'invoice.paid'],
      ['stripe_charge', n % 5 ? 'charge.succeeded' : 'charge.refunded'],
      ['stripe_customer', 'customer.updated'],
    ][n % 3]!;
    return {
      stream: `${category}-o${n % 40}`,
      events: [{ type, data: { n }, metadata: { source: 'stripe' as const } }],
    };
  });
}

describe('PostgreSQL store: subscriptions share reads of the log', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const ids = (events: RecordedEvent[]) => events.map((event) => event.id);
  const appendAll = async (from: number, count: number) => {
    for (const { stream, events } of batch(from, count)) await store.append(stream, events);
  };
  /** What the store returns for a filter, read on its own. */
  const expected = async (filter: EventFilter | undefined): Promise<string[]> => {
    const all: RecordedEvent[] = [];
    for (let from = 0n; ;) {
      const page = await store.readAll({ from, maxCount: 1_000, filter });
      all.push(...page.events);
      if (page.nextFrom === from || page.nextFrom >= (page.headPosition ?? page.nextFrom)) break;
      from = page.nextFrom;
    }
    return ids(all);
  };
  /** A reader over the real store that counts its reads of the log. */
  const countingReader = (options: SharedLogReaderOptions, generation = () => 0) => {
    let count = 0;
    const reader = new SharedLogReader(
      (after, upTo) => {
        count++;
        return store.readRange(after, upTo);
      },
      generation,
      options,
    );
    return { reader, reads: () => count };
  };
  /** Reads to the head through `reader` as a subscription would, in pages of `size`, pausing between them. */
  const drain = async (reader: SharedLogReader, filter: EventFilter | undefined, size: number, pauseMs = 0) => {
    const seen: RecordedEvent[] = [];
    for (let position = 0n; ;) {
      if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      const page = await reader.read(position, size, filter);
      seen.push(...page.events);
      if (page.nextFrom >= (page.headPosition ?? 0n) && page.events.length < size) return seen;
      position = page.nextFrom;
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase('shared_reads');
    await runMigrations(database.url, EVENT_STORE_MIGRATIONS);
    store = new PostgresEventStore({ connectionString: database.url, pollIntervalMs: 50 });
    await appendAll(0, 2_500);
  }, 60_000);
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('gives each filter exactly what a read of its own gives, reading each window of the log once', async () => {
    const { reader, reads } = countingReader({ windowSize: 500, maxWindows: 8 });
    const results = await Promise.all(FILTERS.map((filter, i) => drain(reader, filter, 100 + 150 * i)));
    for (const [i, filter] of FILTERS.entries()) expect(ids(results[i]!)).toEqual(await expected(filter));
    expect(results[0]).toHaveLength(2_500);
    // Five windows, read once each by five readers, and the empty one after the head, once.
    expect(reads()).toBe(6);
  });

  it('stays exact when windows are dropped under readers far apart', async () => {
    const { reader, reads } = countingReader({ windowSize: 200, maxWindows: 2, maxScanWindows: 3 });
    const fast = drain(reader, undefined, 700);
    const slow = drain(reader, FILTERS[1], 37, 5);
    const [all, invoices] = await Promise.all([fast, slow]);
    expect(ids(all)).toEqual(await expected(undefined));
    expect(ids(invoices)).toEqual(await expected(FILTERS[1]));
    expect(reads()).toBeGreaterThan(2_500 / 200);
  });

  it('reads again after a notification it had not seen, and for a reader ahead of the window, never answering from an older read', async () => {
    let generation = 0;
    const { reader, reads } = countingReader({ windowSize: 100_000 }, () => generation);
    const head = await store.headPosition();
    expect((await reader.read(head - 2n, 10)).events).toHaveLength(2);
    await appendAll(10_000, 3);
    // No notification yet: the window is as fresh as the reader knows, so it is not read again.
    expect(await reader.read(head, 10)).toMatchObject({ events: [], nextFrom: head });
    expect(reads()).toBe(1);
    generation++;
    const woken = await reader.read(head, 10);
    expect(woken.events.map((event) => (event.data as { n: number }).n)).toEqual([10_000, 10_001, 10_002]);
    expect(woken).toMatchObject({ nextFrom: head + 3n, headPosition: head + 3n });

    // A reader that saw newer events elsewhere (a read of its own) is never held at the window's end.
    await appendAll(10_003, 4);
    const ahead = await reader.read(head + 5n, 10);
    expect(ahead.events.map((event) => (event.data as { n: number }).n)).toEqual([10_005, 10_006]);
    expect(reads()).toBe(3);
  });

  it('delivers exactly once and in order to subscriptions that share reads while events are appended', async () => {
    const start = await store.headPosition();
    const received = FILTERS.map(() => [] as RecordedEvent[]);
    const subscriptions = FILTERS.map((filter, i) =>
      store.subscribeToAll({
        from: start,
        filter,
        batchSize: 50 + 25 * i,
        handler: async (events) => {
          received[i]!.push(...events);
        },
      }),
    );
    await Promise.all(subscriptions.map((subscription) => subscription.caughtUp));
    await Promise.all([appendAll(20_000, 300), appendAll(30_000, 300)]);
    const head = await store.headPosition();
    for (let waited = 0; subscriptions.some((s) => s.position < head) && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
    for (const [i, filter] of FILTERS.entries()) {
      const after = (await store.readAll({ from: start, maxCount: 10_000, filter })).events;
      expect(ids(received[i]!)).toEqual(ids(after));
    }
    expect(received[0]).toHaveLength(600);
  });
});
