import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@ledgerline/event-store';
import { createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { ProjectionAdvancedAt1764000002500 } from './projection-advanced-at.migration';
import { ProjectionEngine1763900000000 } from './projection-engine.migration';
import { describeProjections, type ProjectionStatus } from './projection-status';
import { ProjectionStore } from './projection-store';

const HOUR = 3600;

/**
 * Stall detection against real PostgreSQL, with a 1 s threshold. Events 1 to 3 are made an hour
 * old; projections are put at a position and their `advanced_at` moved into the past with SQL
 * rather than by waiting.
 */
describe('stalled projections', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let projections: ProjectionStore;

  const checkpoint = (name: string, position: number) =>
    projections.transaction((tx) => projections.checkpoint(tx, name, BigInt(position)));
  /** A projection at `position` whose position last moved `unmovedSeconds` ago. */
  const projectionAt = async (name: string, position: number, unmovedSeconds: number) => {
    await projections.register(name, 1);
    await checkpoint(name, position);
    await unmovedFor(name, unmovedSeconds);
  };
  const unmovedFor = (name: string, seconds: number) =>
    dataSource.query(
      `UPDATE projections.projection_state SET advanced_at = now() - make_interval(secs => $2) WHERE name = $1`,
      [name, seconds],
    );
  const happened = (i: number) => [{ type: 'Happened', data: { i }, metadata: { source: 'system' as const } }];
  const status = async (name: string, stallSeconds = 1): Promise<ProjectionStatus> => {
    const found = (await describeProjections(store, projections, { stallSeconds })).find((s) => s.name === name);
    if (!found) throw new Error(`no projection ${name}`);
    return found;
  };

  beforeAll(async () => {
    database = await createTestDatabase('projection_stall');
    await runMigrations(database.url, [
      ...EVENT_STORE_MIGRATIONS,
      ProjectionEngine1763900000000,
      ProjectionAdvancedAt1764000002500,
    ]);
    dataSource = await createDataSource(database.url, []).initialize();
    store = new PostgresEventStore({ connectionString: database.url, pollIntervalMs: 50 });
    projections = new ProjectionStore(dataSource);
    for (let i = 0; i < 3; i++) await store.append('stall-1', happened(i));
    await dataSource.query(`UPDATE event_store.events SET recorded_at = recorded_at - interval '1 hour'`);
    expect(await store.headPosition()).toBe(3n);
  });
  afterAll(async () => {
    await store.close();
    await dataSource.destroy();
    await database.drop();
  });

  it('reports one behind the head and unmoved past the threshold as stalled, for as long as it has not moved', async () => {
    await projectionAt('stuck', 1, 20);
    const stuck = await status('stuck');
    expect(stuck).toMatchObject({ position: 1, lag: 2, stalled: true });
    expect(stuck.lagSeconds).toBeGreaterThan(HOUR);
    // Stuck since its position last moved, 20 s ago, though the event it waits for is an hour old.
    expect(stuck.stalledSeconds).toBeGreaterThanOrEqual(20);
    expect(stuck.stalledSeconds).toBeLessThan(30);
  });

  it('counts the stall from the oldest waiting event when the position moved before that event came', async () => {
    await projectionAt('stuck_for_long', 1, 2 * HOUR);
    const stuck = await status('stuck_for_long');
    expect(stuck.stalled).toBe(true);
    expect(stuck.stalledSeconds).toBe(stuck.lagSeconds);
    expect(stuck.stalledSeconds).toBeGreaterThan(HOUR);
    expect(stuck.stalledSeconds).toBeLessThan(HOUR + 30);
  });

  it('is not stalled within the threshold the caller gives', async () => {
    await projectionAt('patient', 1, 20);
    expect(await status('patient', 1)).toMatchObject({ stalled: true });
    expect(await status('patient', 30)).toMatchObject({ stalled: false, stalledSeconds: 0 });
  });

  it('is not stalled once its checkpoint moves, and a checkpoint that does not move it changes nothing', async () => {
    await projectionAt('moving', 1, HOUR);
    await checkpoint('moving', 1);
    expect(await status('moving')).toMatchObject({ position: 1, stalled: true });
    await checkpoint('moving', 2);
    // Still behind an hour-old event, but it has just moved.
    const moved = await status('moving');
    expect(moved).toMatchObject({ position: 2, lag: 1, stalled: false, stalledSeconds: 0 });
    expect(moved.lagSeconds).toBeGreaterThan(HOUR);
  });

  it('is not stalled once its position is written directly, as a rebuild’s switch-over does', async () => {
    await projectionAt('switched', 1, HOUR);
    await dataSource.query(
      `UPDATE projections.projection_state SET position = 2, version = 2, status = 'running', updated_at = now()
        WHERE name = 'switched'`,
    );
    const switched = await status('switched');
    expect(switched).toMatchObject({ position: 2, lag: 1, stalled: false, stalledSeconds: 0 });
    expect(switched.lagSeconds).toBeGreaterThan(HOUR);
  });

  it('is not stalled when caught up, however long it has not moved', async () => {
    await projectionAt('caught_up', Number(await store.headPosition()), 2 * HOUR);
    expect(await status('caught_up')).toMatchObject({ lag: 0, lagSeconds: 0, stalled: false, stalledSeconds: 0 });
  });

  it('is not stalled when idle for hours and an event has only just come', async () => {
    const handled = Number(await store.headPosition());
    await projectionAt('idle', handled, 2 * HOUR);
    await store.append('stall-2', happened(0));
    const idle = await status('idle');
    expect(idle).toMatchObject({ position: handled, lag: 1, stalled: false, stalledSeconds: 0 });
    expect(idle.lagSeconds).toBeLessThan(1);
  });
});
