import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@ledgerline/event-store';
import { ProjectionEngine1763900000000 } from '@ledgerline/projections';
import { SUPPORT_READ_MODEL_MIGRATIONS } from '@ledgerline/read-models';
import { createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { appendStripe, charge, DAY, T0 } from '../testing/money-scenario';
import { ReconciliationRuns, startReconciliationRun } from './reconciliation-runs';
import { ReconciliationFindingsByKind1764000002000 } from './reconciliation-findings-by-kind.migration';
import { ReconciliationRuns1764000001600 } from './reconciliation-runs.migration';
import { reportJson } from './report';
import { MoneyDigests1764000002300 } from '../digests/money-digests.migration';

describe('ReconciliationRuns: runs kept, listed, followed', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let runs: ReconciliationRuns;
  const period = { from: T0, to: T0 + DAY };
  const deps = () => ({ store, dataSource, stripe: null, readModelWaitMs: 0 });

  beforeAll(async () => {
    database = await createTestDatabase('reconciliation_runs');
    await runMigrations(database.url, [
      ...EVENT_STORE_MIGRATIONS,
      ProjectionEngine1763900000000,
      ...SUPPORT_READ_MODEL_MIGRATIONS,
      ReconciliationRuns1764000001600,
      ReconciliationFindingsByKind1764000002000,
      MoneyDigests1764000002300,
    ]);
    dataSource = await createDataSource(database.url, []).initialize();
    store = new PostgresEventStore({ connectionString: database.url });
    runs = new ReconciliationRuns(dataSource);
    await appendStripe(store, [charge('ch_1', 1000, T0 + 10), charge('ch_2', 2000, T0 + 20)]);
  });
  afterAll(async () => {
    await store?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('records a run while it works, then its report byte for byte', async () => {
    const progress: string[] = [];
    const { id, done } = await startReconciliationRun(runs, { ...period, currency: 'eur' }, 'finance-tester', {
      ...deps(),
      onProgress: (p) => progress.push(`${p.phase}:${p.eventsRead}`),
    });
    expect((await runs.get(id))!.status).toMatch(/running|done/);
    const report = await done;
    const run = (await runs.get(id))!;
    expect(run).toMatchObject({
      status: 'done',
      currency: 'eur',
      account: null,
      requestedBy: 'finance-tester',
      position: report.position,
      eventsRead: 2,
      balanceTransactionSource: 'events',
      findings: 0,
      findingsByKind: {},
      error: null,
      period: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' },
    });
    expect(await runs.report(id)).toBe(reportJson(report));
    expect(progress).toEqual(['events:2', 'stripe:2', 'read_models:2']);
  });

  it('fills the findings by kind of runs finished before the column existed, from their reports', async () => {
    const older = await createTestDatabase('reconciliation_runs_before');
    try {
      const before = [...EVENT_STORE_MIGRATIONS, ReconciliationRuns1764000001600];
      await runMigrations(older.url, before);
      const source = await createDataSource(older.url, []).initialize();
      try {
        const report = JSON.stringify({
          summary: { findings: 3, byKind: { missing_in_stripe: 2, amount_mismatch: 1 } },
        });
        await source.query(
          `INSERT INTO reconciliation_runs (period_from, period_to, requested_by, status, report)
           VALUES (now() - interval '1 day', now(), 'finance-tester', 'done', $1)`,
          [report],
        );
        await runMigrations(older.url, [...before, ReconciliationFindingsByKind1764000002000]);
        const [run] = (await new ReconciliationRuns(source).list({ limit: 1 })).runs;
        expect(run!.findingsByKind).toEqual({ missing_in_stripe: 2, amount_mismatch: 1 });
      } finally {
        await source.destroy();
      }
    } finally {
      await older.drop();
    }
  });

  it('marks a run that fails, with the reason, and one whose process stopped beating as interrupted', async () => {
    const abort = new AbortController();
    abort.abort(new Error('stopped by the operator'));
    const { id, done } = await startReconciliationRun(runs, period, 'cli:finance', { ...deps(), signal: abort.signal });
    await expect(done).rejects.toThrow('stopped by the operator');
    expect(await runs.get(id)).toMatchObject({
      status: 'failed',
      error: 'stopped by the operator',
      findings: null,
      findingsByKind: null,
    });
    expect(await runs.report(id)).toBeNull();

    const stale = await runs.create(period, 'finance-tester');
    await dataSource.query(`UPDATE reconciliation_runs SET heartbeat_at = now() - interval '5 minutes' WHERE id = $1`, [
      stale,
    ]);
    expect((await runs.get(stale))!.status).toBe('interrupted');
  });

  it('lists runs newest first, a page at a time', async () => {
    const all = (await runs.list({ limit: 100 })).runs;
    expect(all.length).toBeGreaterThanOrEqual(3);
    const first = await runs.list({ limit: 2 });
    expect(first.runs.map((r) => r.id)).toEqual(all.slice(0, 2).map((r) => r.id));
    const rest = await runs.list({ limit: 100, before: first.next! });
    expect(rest.runs.map((r) => r.id)).toEqual(all.slice(2).map((r) => r.id));
    expect(rest.next).toBeNull();
  });
});
