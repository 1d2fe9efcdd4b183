import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { PostgresEventStore } from '@ledgerline/event-store';
import { appendStripe, balanceChanged, charge, DAY, T0 } from '../testing/money-scenario';
import { type MoneyScenarioDatabase, moneyScenarioDatabase } from '../testing/money-scenario.seed';
import { MONEY_DIGEST_VERSION } from '../ledger/money-digest';
import { MONEY_EVENTS, reconcile, type ReconciliationProgress } from '../runs/reconcile';
import { reportJson } from '../runs/report';
import { DigestWriter } from './digest-writer';
import { digestedEvent, MoneyDigests } from './money-digests';

const PERIOD = { from: T0, to: T0 + 3 * DAY };

describe('MoneyDigests: reconciliation runs keep and read the digests of money events', () => {
  let scenario: MoneyScenarioDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let digests: MoneyDigests;

  /** A run from digests where kept (the default), with what its last progress said. */
  async function run(options: { digests?: boolean; batchSize?: number } = {}) {
    let last: ReconciliationProgress | null = null;
    const report = await reconcile(PERIOD, {
      store,
      dataSource,
      stripe: null,
      readModelWaitMs: 0,
      ...options,
      onProgress: (progress) => (last = progress),
    });
    return { report, json: reportJson(report), progress: last! as ReconciliationProgress };
  }

  const kept = async () => {
    const [{ rows, digested }] = await dataSource.query(
      `SELECT count(*)::int AS rows, count(digest)::int AS digested FROM reconciliation_digests WHERE version = $1`,
      [MONEY_DIGEST_VERSION],
    );
    const coverage = await dataSource.query(
      `SELECT covered_to, last_event_id FROM reconciliation_digest_coverage WHERE version = $1`,
      [MONEY_DIGEST_VERSION],
    );
    return { rows: rows as number, digested: digested as number, coveredTo: coverage[0]?.covered_to as string };
  };

  beforeAll(async () => {
    scenario = await moneyScenarioDatabase('money_digests');
    ({ dataSource, store } = scenario);
    digests = new MoneyDigests(dataSource);
  });
  beforeEach(() => digests.forget());
  afterAll(() => scenario?.close());

  it('Given a first run, Then it keeps one row per money event, and the next run reads them into the same report byte for byte', async () => {
    const cold = await run({ batchSize: 7 });
    expect(cold.progress.fromDigests).toBe(0);
    expect(cold.report.findings.length).toBeGreaterThan(2);
    const afterCold = await kept();
    expect(afterCold.rows).toBe(cold.report.eventsRead);
    expect(afterCold.digested).toBeGreaterThan(0);
    expect(afterCold.coveredTo).toBe(cold.report.position);

    const warm = await run();
    expect(warm.progress.fromDigests).toBe(warm.report.eventsRead);
    const fromEvents = await run({ digests: false });
    expect(fromEvents.progress.fromDigests).toBe(0);
    expect(warm.json).toBe(cold.json);
    expect(fromEvents.json).toBe(cold.json);
    expect(await kept()).toEqual(afterCold);
  });

  it('Given events stored after the kept digests, Then a run reads the digests, then only the new events, and keeps theirs', async () => {
    const before = await run();
    // A charge, and a customer event that tells a run nothing (its balance did not change).
    await appendStripe(store, [
      charge('ch_digest_later', 4200, T0 + DAY + 60),
      balanceChanged('cus_digest_same', -500, -500, T0 + DAY + 70),
    ]);
    const after = await run();
    expect(after.progress.fromDigests).toBe(before.report.eventsRead);
    expect(after.report.eventsRead).toBe(before.report.eventsRead + 2);
    const { rows, digested } = await kept();
    expect(rows - digested).toBe(1); // counted as read, kept without a digest
    expect(after.report.ledger.find((line) => line.day === '2026-01-02' && line.currency === 'eur')?.grossCharges).toBe(
      (before.report.ledger.find((line) => line.day === '2026-01-02' && line.currency === 'eur')?.grossCharges ?? 0) +
        4200,
    );
    expect(after.json).toBe((await run({ digests: false })).json);
    expect((await kept()).coveredTo).toBe(after.report.position);
  });

  it('Given a kept digest that says otherwise, Then a run reports what the digest says, and a run from the events alone does not', async () => {
    // What decision 0015 trusts: kept digests stand for their events. This shows runs do read them.
    const clean = await run();
    await dataSource.query(
      `UPDATE reconciliation_digests SET digest = replace(digest, '"captured":4200', '"captured":4300')
        WHERE digest LIKE '%ch_digest_later%'`,
    );
    const tampered = await run();
    expect(tampered.json).not.toBe(clean.json);
    expect((await run({ digests: false })).json).toBe(clean.json);
  });

  it('Given digests made from another log, Then they are forgotten and the run reads the events', async () => {
    await run();
    await dataSource.query(`UPDATE reconciliation_digest_coverage SET last_event_id = 'not-in-this-store'`);
    const rerun = await run();
    expect(rerun.progress.fromDigests).toBe(0);
    expect(await kept()).toMatchObject({ rows: rerun.report.eventsRead, coveredTo: rerun.report.position });
  });

  it('Given two first runs at once, Then both give the same report and the kept digests have no gap and no double', async () => {
    const [a, b] = await Promise.all([run({ batchSize: 5 }), run({ batchSize: 9 })]);
    expect(a.json).toBe(b.json);
    const { rows, coveredTo } = await kept();
    expect(rows).toBe(a.report.eventsRead);
    expect(coveredTo).toBe(a.report.position);
    expect((await run()).progress.fromDigests).toBe(a.report.eventsRead);
  });

  it('Given a run that keeps its digests in chunks, Then each chunk extends the kept range in order, and a forgotten range stops it', async () => {
    const { events } = await store.readAll({ filter: MONEY_EVENTS, maxCount: 1_000 });
    const digested = events.map(digestedEvent);
    const writer = new DigestWriter(digests, 0n, 3);
    for (let i = 0; i < 9; i += 2) await writer.add(digested[i + 1]!.position, digested.slice(i, i + 2));
    await writer.finish();
    expect(await kept()).toMatchObject({ rows: 10, coveredTo: digested[9]!.position.toString() });

    // A range that does not start where the kept one ends is never kept: no gap.
    await digests.forget();
    const late = new DigestWriter(digests, digested[9]!.position, 2);
    await late.add(digested[12]!.position, digested.slice(10, 13));
    await late.add(digested[14]!.position, digested.slice(13, 15));
    await late.finish();
    expect(await kept()).toMatchObject({ rows: 0, coveredTo: '0' });
  });

  it('Given digests of an older version, Then the first run of this version drops them, and a newer version keeps its own', async () => {
    const older = new MoneyDigests(dataSource, MONEY_DIGEST_VERSION - 1);
    const newer = new MoneyDigests(dataSource, MONEY_DIGEST_VERSION + 1);
    const { events } = await store.readAll({ filter: MONEY_EVENTS, maxCount: 4 });
    const digested = events.map(digestedEvent);
    for (const other of [older, newer]) expect(await other.keep(0n, digested[3]!.position, digested)).toBe(true);
    const versions = async () =>
      (
        await dataSource.query(
          `SELECT version, count(*)::int AS n FROM reconciliation_digests GROUP BY version ORDER BY version`,
        )
      ).map((row: { version: number; n: number }) => [row.version, row.n]);
    expect(await versions()).toEqual([
      [MONEY_DIGEST_VERSION - 1, 4],
      [MONEY_DIGEST_VERSION + 1, 4],
    ]);

    const first = await run();
    expect(await versions()).toEqual([
      [MONEY_DIGEST_VERSION, first.report.eventsRead],
      [MONEY_DIGEST_VERSION + 1, 4],
    ]);
    expect(await older.coveredTo(store)).toBe(0n);
    await newer.forget();
  });
});
