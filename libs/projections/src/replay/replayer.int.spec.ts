import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore, type RecordedEvent } from '@ledgerline/event-store';
import { createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { ProjectionEngine1763900000000 } from '../projection-engine.migration';
import { ProjectionStore } from '../projection-store';
import type { Projector, ProjectionTransaction } from '../projector';
import { RebuildRequests } from '../rebuild-requests';
import { ReplayRuns1764000001500 } from './replay-runs.migration';
import { Replayer, ReplayRefusedError } from './replayer';

/** The newest amount per order: applying an event again changes nothing (replay-safe). */
class LatestProjector implements Projector {
  readonly name: string = 'latest';
  readonly version = 1;
  readonly tables = ['latest'];
  readonly replaySafe: boolean = true;
  readonly filter = { categories: ['order'] };
  async apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    await tx.query(
      `INSERT INTO ${tx.table('latest')} AS l (stream, amount, position) VALUES ($1, $2, $3)
       ON CONFLICT (stream) DO UPDATE SET amount = EXCLUDED.amount, position = EXCLUDED.position
        WHERE EXCLUDED.position > l.position`,
      [event.stream, (event.data as { amount: number }).amount, event.position.toString()],
    );
  }
}

/** Counts events: not replay-safe. */
class CounterProjector extends LatestProjector {
  override readonly name = 'counter';
  override readonly replaySafe = false;
}

describe('Replayer', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let replayer: Replayer;
  const latest = new LatestProjector();

  const rows = async () => dataSource.query(`SELECT stream, amount, position::int FROM latest ORDER BY stream`);
  const scope = (fromPosition: bigint, toPosition: bigint) => ({
    projectors: [latest],
    types: null,
    fromPosition,
    toPosition,
  });

  beforeAll(async () => {
    database = await createTestDatabase('replayer');
    await runMigrations(database.url, [
      ...EVENT_STORE_MIGRATIONS,
      ProjectionEngine1763900000000,
      ReplayRuns1764000001500,
    ]);
    dataSource = await createDataSource(database.url, []).initialize();
    await dataSource.query(
      `CREATE TABLE latest (stream text PRIMARY KEY, amount integer NOT NULL, position bigint NOT NULL)`,
    );
    store = new PostgresEventStore({ connectionString: database.url });
    replayer = new Replayer(dataSource, store, [latest, new CounterProjector()]);
    // 200 orders, one event each (positions 1..200), plus events the projector does not read.
    for (let i = 1; i <= 200; i++) {
      await store.append(`order-${String(i).padStart(3, '0')}`, [
        { type: 'Placed', data: { amount: i }, metadata: { source: 'system' } },
      ]);
      if (i % 50 === 0) await store.append('other-1', [{ type: 'Noise', data: {}, metadata: { source: 'system' } }]);
    }
  });
  beforeEach(async () => {
    await dataSource.query(`TRUNCATE latest`);
    await new ProjectionStore(dataSource).transaction(async (tx) => {
      for (const event of (await store.readAll({ maxCount: 1_000, filter: latest.filter })).events)
        await latest.apply(event, tx);
    });
    await dataSource.query(`UPDATE latest SET amount = -1, position = 0`); // every row wrong
  });
  afterAll(async () => {
    await store.close();
    await dataSource.destroy();
    await database.drop();
  });

  it('re-applies the range to the live table in batches, recording progress, and stops at its end', async () => {
    const run = await replayer.create(scope(50n, 120n), { from: '51', to: '120' }, 7);
    const seen: bigint[] = [];
    const done = await replayer.run(run.id, { onProgress: (current) => seen.push(current.position) });
    expect(done).toMatchObject({ status: 'done', position: 120n, finishedAt: expect.any(String) });
    // Positions 51..120 hold orders 51..118 and two Noise events (51, 102), which the filter skips.
    expect(done.applied).toEqual({ latest: 68 });
    expect(done.eventsRead).toBe(68);
    expect(seen.length).toBeGreaterThanOrEqual(10);
    expect(seen).toEqual([...seen].sort((a, b) => (a < b ? -1 : 1)));
    const fixed = (await rows()).filter((row: { amount: number }) => row.amount !== -1);
    expect(fixed).toHaveLength(68);
    expect(fixed[0]).toEqual({ stream: 'order-051', amount: 51, position: 52 });
    expect(fixed[67]).toEqual({ stream: 'order-118', amount: 118, position: 120 });
  });

  it('resumes a run a crash left running from its stored position', async () => {
    const run = await replayer.create(scope(0n, 204n), { from: '1', to: '204' }, 25);
    await dataSource.query(
      `UPDATE projections.replay_runs SET position = 100, applied = '{"latest": 99}' WHERE id = $1`,
      [run.id],
    );
    const done = await replayer.run(run.id);
    expect(done).toMatchObject({ status: 'done', position: 204n, applied: { latest: 99 + 101 } });
    const fixed = (await rows()).filter((row: { amount: number }) => row.amount !== -1);
    expect(fixed.map((row: { amount: number }) => row.amount)).toEqual(Array.from({ length: 101 }, (_, i) => i + 100));
  });

  it('stops after the current batch when aborted, as interrupted, and finishes on resume', async () => {
    const run = await replayer.create(scope(0n, 204n), { from: '1', to: '204' }, 10);
    const controller = new AbortController();
    const stopped = await replayer.run(run.id, {
      signal: controller.signal,
      onProgress: (current) => current.position >= 30n && controller.abort(),
    });
    expect(stopped.status).toBe('interrupted');
    expect(stopped.position).toBeGreaterThanOrEqual(30n);
    expect(stopped.position).toBeLessThan(204n);
    expect((await replayer.run(run.id, { batchSize: 50 })).status).toBe('done');
    expect(
      (await rows()).every((row: { stream: string; amount: number }) =>
        row.stream.endsWith(String(row.amount).padStart(3, '0')),
      ),
    ).toBe(true);
  });

  it('refuses a projector that is not replay-safe, a run another process holds, and a projection being rebuilt', async () => {
    expect(() => replayer.resolve(['counter'])).toThrow(/not replay-safe.*ledgerline rebuild counter/);
    const run = await replayer.create(scope(0n, 10n), { from: '1', to: '10' }, 5);

    const other = dataSource.createQueryRunner();
    await other.connect();
    await other.query(`SELECT pg_advisory_lock(19533, $1)`, [run.id]);
    await expect(replayer.run(run.id)).rejects.toMatchObject({ reason: 'busy' });
    await other.query(`SELECT pg_advisory_unlock(19533, $1)`, [run.id]);
    await other.release();

    const request = await new RebuildRequests(dataSource).request('latest', 'test');
    await expect(replayer.create(scope(0n, 10n), { from: '1', to: '10' }, 5)).rejects.toBeInstanceOf(
      ReplayRefusedError,
    );
    await expect(replayer.run(run.id)).rejects.toMatchObject({ reason: 'rebuilding' });
    await new RebuildRequests(dataSource).finish(request.id, 'cancelled');
    expect((await replayer.run(run.id)).status).toBe('done');
  });

  it('pauses a run as interrupted when a rebuild of its projection starts meanwhile', async () => {
    const run = await replayer.create(scope(0n, 204n), { from: '1', to: '204' }, 10);
    const requests = new RebuildRequests(dataSource);
    let requested: Promise<unknown> | null = null;
    const outcome = replayer.run(run.id, {
      onProgress: (current) => {
        if (current.position >= 20n) requested ??= requests.request('latest', 'test');
      },
    });
    await expect(outcome).rejects.toMatchObject({ reason: 'rebuilding' });
    const stored = (await replayer.get(run.id))!;
    expect(stored.status).toBe('interrupted');
    expect(stored.error).toMatch(/rebuild of latest/);
    expect(stored.position).toBeLessThan(204n);
    const active = (await requests.list()).find((r) => r.projection === 'latest' && r.status === 'requested')!;
    await requests.finish(active.id, 'cancelled');
  });

  it('reports a dry run per projector and per type without writing', async () => {
    const before = await dataSource.query(`SELECT count(*)::int AS n FROM projections.replay_runs`);
    const report = await replayer.dryRun(scope(0n, 204n), { batchSize: 30 });
    expect(report).toEqual({ eventsRead: 200, byType: { Placed: 200 }, byProjector: { latest: 200 } });
    expect((await rows()).every((row: { amount: number }) => row.amount === -1)).toBe(true);
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM projections.replay_runs`)).toEqual(before);
  });
});
