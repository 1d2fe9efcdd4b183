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
    const rebuilder = new Rebuilder(dataSource, store, projections, requests, new Map([['totals', live]]));
    const running = rebuilder.runNext();
    // Meanwhile: the live table answers queries, and new events keep arriving.
    expect((await totals()).length).toBe(25);
    await append(100);
    expect(await running).toBe(true);

    expect((await requests.get(request.id))!.status).toBe('done');
    await caughtUp('totals');
    await live.stop();
    const rebuiltRows = await totals();
    expect(rebuiltRows.find((row: { stream: string }) => row.stream === 'order-3').total).not.toBe('-1');
    expect(rebuiltRows.reduce((sum: number, row: { events: number }) => sum + row.events, 0)).toBe(600);
    const state = (await projections.state('totals'))!;
    expect(state.version).toBe(2);
    expect(await projections.state('totals:rebuild')).toBeNull();
    expect((await dataSource.query(`SELECT to_regclass('totals__next') AS t`))[0].t).toBeNull();
    // The 500 events built live and the rebuild agree on those streams' totals, plus the 100 later ones.
    expect(built.length).toBe(25);
  });

  it('cancels a rebuild: the shadow tables go, the live tables stay', async () => {
    const live = new ProjectionRunner(new TotalsProjector(2), store, projections);
    await live.start();
    await append(2_000);
    const before = await totals();
    const request = await requests.request('totals', 'test cancel');
    const rebuilder = new Rebuilder(dataSource, store, projections, requests, new Map([['totals', live]]));
    const running = rebuilder.runNext();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await requests.cancel('totals');
    await running;
    await live.stop();
    expect(['cancelled', 'done']).toContain((await requests.get(request.id))!.status);
    if ((await requests.get(request.id))!.status === 'cancelled') {
      expect((await dataSource.query(`SELECT to_regclass('totals__next') AS t`))[0].t).toBeNull();
      expect((await totals()).length).toBe(before.length);
    }
    expect(await projections.state('totals:rebuild')).toBeNull();
  });
});
