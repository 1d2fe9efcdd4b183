import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore, type RecordedEvent } from '@ledgerline/event-store';
import { createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { ProjectionEngine1763900000000 } from './projection-engine.migration';
import { ProjectionRunner } from './projection-runner';
import { ProjectionStore } from './projection-store';
import type { Projector, ProjectionTransaction } from './projector';
import { RebuildAlreadyActiveError, RebuildRequests } from './rebuild-requests';
import { Rebuilder } from './rebuilder';

/** Sums amounts per stream: a read model whose rows depend on every event. */
class TotalsProjector implements Projector {
  readonly name = 'totals';
  readonly tables = ['totals'];
  constructor(readonly version: number) {}
  async apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    await tx.query(
      `INSERT INTO ${tx.table('totals')} (stream, total, events) VALUES ($1, $2, 1)
       ON CONFLICT (stream) DO UPDATE SET total = ${tx.table('totals')}.total + EXCLUDED.total, events = ${tx.table('totals')}.events + 1`,
      [event.stream, (event.data as { amount: number }).amount],
    );
  }
}

describe('Rebuilder (blue/green)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let projections: ProjectionStore;
  let requests: RebuildRequests;

  const totals = async () => dataSource.query(`SELECT stream, total, events FROM totals ORDER BY stream`);
  const append = async (count: number) => {
    for (let i = 0; i < count; i++) {
      await store.append(`order-${i % 25}`, [{ type: 'Paid', data: { amount: i }, metadata: { source: 'system' } }]);
    }
  };
  const caughtUp = async (name: string) => {
    const head = await store.headPosition();
    for (let waited = 0; BigInt((await projections.state(name))!.position) < head; waited += 25) {
      if (waited > 10_000) throw new Error('not caught up');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase('rebuilds');
    await runMigrations(database.url, [...EVENT_STORE_MIGRATIONS, ProjectionEngine1763900000000]);
    dataSource = await createDataSource(database.url, []).initialize();
    await dataSource.query(
      `CREATE TABLE totals (stream text PRIMARY KEY, total bigint NOT NULL, events integer NOT NULL)`,
    );
    store = new PostgresEventStore({ connectionString: database.url, pollIntervalMs: 50 });
    projections = new ProjectionStore(dataSource);
    requests = new RebuildRequests(dataSource);
  });
  afterAll(async () => {
    await store.close();
    await dataSource.destroy();
    await database.drop();
  });

  it('rebuilds into new tables while the live ones answer, then swaps them in with identical rows and the new version', async () => {
    const live = new ProjectionRunner(new TotalsProjector(2), store, projections);
    await live.start();
    await append(500);
    await caughtUp('totals');
    const built = await totals();
    // Corrupt the live table: a rebuild must replace it with what the events say.
    await dataSource.query(`UPDATE totals SET total = -1 WHERE stream = 'order-3'`);
    await dataSource.query(`UPDATE projections.projection_state SET version = 1 WHERE name = 'totals'`);

    const request = await requests.request('totals', 'test');
    await expect(requests.request('totals', 'again')).rejects.toThrow(RebuildAlreadyActiveError);
    const rebuilder = new Rebuilder(store, projections, requests, new Map([['totals', live]]));
    const running = rebuilder.runNext();
    // Meanwhile: the live table answers queries, and new events keep arriving.
    expect((await totals()).length).toBe(25);
    await append(100);
    expect(await running).toBe(true);

    expect((await requests.get(request.id))!.status).toBe('done');
    await caughtUp('totals');
    await live.stop();
    // The swapped-in table is exactly what the events say, stream by stream.
    const expected = new Map<string, { total: number; events: number }>();
    for (let from = 0n; ;) {
      const page = await store.readAll({ from, maxCount: 1_000, filter: { categories: ['order'] } });
      for (const event of page.events) {
        const row = expected.get(event.stream) ?? { total: 0, events: 0 };
        row.total += (event.data as { amount: number }).amount;
        row.events += 1;
        expected.set(event.stream, row);
      }
      if (page.events.length < 1_000) break;
      from = page.nextFrom;
    }
    const rebuiltRows = (await totals()).map((row: { stream: string; total: string; events: number }) => [
      row.stream,
      Number(row.total),
      row.events,
    ]);
    expect(rebuiltRows).toEqual(
      [...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([stream, row]) => [stream, row.total, row.events]),
    );
    expect(rebuiltRows.reduce((sum: number, row: (string | number)[]) => sum + (row[2] as number), 0)).toBe(600);
    const state = (await projections.state('totals'))!;
    expect(state.version).toBe(2);
    expect(await projections.state('totals:rebuild')).toBeNull();
    expect((await dataSource.query(`SELECT to_regclass('totals__next') AS t`))[0].t).toBeNull();
    expect(built.length).toBe(25);
  });

  it('cancels a rebuild: the shadow tables go, the live tables stay', async () => {
    // Slow enough that the rebuild cannot finish before the cancel arrives.
    class SlowTotals extends TotalsProjector {
      override async apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
        await new Promise((resolve) => setTimeout(resolve, 5));
        await super.apply(event, tx);
      }
    }
    const live = new ProjectionRunner(new SlowTotals(2), store, projections);
    await live.start();
    await caughtUp('totals');
    const before = await totals();
    const request = await requests.request('totals', 'test cancel');
    const rebuilder = new Rebuilder(store, projections, requests, new Map([['totals', live]]));
    const running = rebuilder.runNext();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await dataSource.query(`SELECT to_regclass('totals__next') AS t`))[0].t).toBe('totals__next');
    expect((await requests.cancel('totals'))!.status).toBe('cancelling');
    await running;
    await live.stop();
    expect((await requests.get(request.id))!.status).toBe('cancelled');
    expect((await dataSource.query(`SELECT to_regclass('totals__next') AS t`))[0].t).toBeNull();
    expect(await totals()).toEqual(before);
    expect(await projections.state('totals:rebuild')).toBeNull();
  });
});
