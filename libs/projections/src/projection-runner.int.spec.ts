import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore, type RecordedEvent } from '@ledgerline/event-store';
import { createTestDatabase, eventually, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { ProjectionEngine1763900000000 } from './projection-engine.migration';
import { describeProjections } from './projection-status';
import { ProjectionStore } from './projection-store';
import { ProjectionRunner } from './projection-runner';
import type { Projector, ProjectionTransaction } from './projector';

/** Writes one row per event; fails on events whose data says so (while `broken` is set). */
class CountingProjector implements Projector {
  readonly version = 1;
  readonly tables = ['applied'];
  broken = true;
  readonly filter;
  constructor(
    readonly name: string,
    category: string,
  ) {
    this.filter = { categories: [category] };
  }
  async apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    await tx.query(`INSERT INTO applied (projection, position) VALUES ($1, $2)`, [
      this.name,
      event.position.toString(),
    ]);
    if (this.broken && (event.data as { poison?: boolean }).poison) throw new Error(`cannot apply ${event.type}`);
  }
}

describe('ProjectionRunner', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let projections: ProjectionStore;
  const runners: ProjectionRunner[] = [];
  let category = 0;

  const append = (stream: string, count: number, data: (i: number) => object = () => ({})) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        store.append(stream, [{ type: 'Happened', data: data(i), metadata: { source: 'system' } }]),
      ),
    );
  const applied = async (name: string): Promise<number[]> =>
    (await dataSource.query(`SELECT position FROM applied WHERE projection = $1 ORDER BY position`, [name])).map(
      (row: { position: string }) => Number(row.position),
    );
  const run = async (projector: Projector) => {
    const runner = new ProjectionRunner(projector, store, projections, { retryBackoffMs: 10, batchSize: 50 });
    runners.push(runner);
    await runner.start();
    return runner;
  };
  const newCategory = () => `proj${category++}`;

  beforeAll(async () => {
    database = await createTestDatabase('projections');
    await runMigrations(database.url, [...EVENT_STORE_MIGRATIONS, ProjectionEngine1763900000000]);
    dataSource = await createDataSource(database.url, []).initialize();
    await dataSource.query(
      `CREATE TABLE applied (projection text NOT NULL, position bigint NOT NULL, PRIMARY KEY (projection, position))`,
    );
    store = new PostgresEventStore({ connectionString: database.url, pollIntervalMs: 50 });
    projections = new ProjectionStore(dataSource);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  });
  afterAll(async () => {
    await store.close();
    await dataSource.destroy();
    await database.drop();
  });

  it('applies every event once and resumes from its checkpoint after a stop, without repeating one', async () => {
    const cat = newCategory();
    const projector = new CountingProjector('counting', cat);
    await append(`${cat}-1`, 120);
    const first = await run(projector);
    await eventually(async () => (await applied('counting')).length === 120);
    await first.stop();
    await append(`${cat}-1`, 30);
    await run(projector);
    await eventually(async () => (await applied('counting')).length === 150);
    const positions = await applied('counting');
    expect(new Set(positions).size).toBe(150); // the primary key would have refused a repeat anyway
    const [status] = (await describeProjections(store, projections)).filter((s) => s.name === 'counting');
    expect(status!.position).toBe(positions[positions.length - 1]);
  });

  it('parks an event that keeps failing, goes on with the next ones, and applies it on retry after a fix', async () => {
    const cat = newCategory();
    const projector = new CountingProjector('poisoned', cat);
    await append(`${cat}-1`, 10, (i) => ({ poison: i === 3 }));
    await run(projector);
    await eventually(async () => (await applied('poisoned')).length === 9);
    const [parked] = await projections.parked('poisoned');
    expect(parked).toMatchObject({ event_type: 'Happened', attempts: 3, error: 'cannot apply Happened' });
    const [status] = (await describeProjections(store, projections)).filter((s) => s.name === 'poisoned');
    expect(status).toMatchObject({ status: 'running', parked: 1, lag: 0 });
    expect(status!.lastError).toContain('parked after 3 attempts');

    projector.broken = false;
    const [event] = (await store.readAll({ from: BigInt(parked!.position) - 1n, maxCount: 1 })).events;
    await projections.transaction(async (tx) => {
      await projector.apply(event!, tx);
      await projections.unpark(tx, 'poisoned', event!.position);
    });
    expect(await applied('poisoned')).toHaveLength(10);
    expect(await projections.parked('poisoned')).toEqual([]);
  });

  it('never lets a failing projector stall another one', async () => {
    const cat = newCategory();
    const broken: Projector = {
      name: 'always-broken',
      version: 1,
      tables: [],
      filter: { categories: [cat] },
      apply: async () => {
        throw new Error('broken projector');
      },
    };
    const healthy = new CountingProjector('healthy', cat);
    await run(broken);
    await run(healthy);
    await append(`${cat}-1`, 20);
    await eventually(async () => (await applied('healthy')).length === 20);
  });

  it('brings live events into the read model within a second', async () => {
    const cat = newCategory();
    await run(new CountingProjector('live', cat));
    const started = Date.now();
    const [result] = await append(`${cat}-1`, 1);
    await eventually(async () => (await applied('live')).includes(Number(result!.events[0]!.position)), 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
