import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { createDataSource } from '@ledgerline/database';
import type { PostgresEventStore } from '@ledgerline/event-store';
import type { ReconciliationReport } from '@ledgerline/reconciliation';
import {
  buildOnce,
  createTestDatabase,
  startStripeServer,
  STRIPE_TEST_API_KEY,
  type StripeTestServer,
  type TestDatabase,
} from '@ledgerline/testing';
import {
  buildCheckedReadModels,
  seedMoneyScenario,
} from '../../../libs/reconciliation/src/testing/money-scenario.seed';
import { CLI, type CliResult, cliEnv, openStore } from './cli-harness';

const DAY1 = ['--from', '2026-01-01', '--to', '2026-01-02'];
const DAY2 = ['--from', '2026-01-02T00:00:00Z', '--to', '2026-01-03'];
const RUN_ID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';

/**
 * The money scenario of libs/reconciliation (a clean 2026-01-01 and a 2026-01-02 with one of every
 * finding) in the store and in a local Stripe server's balance, with the `payments` and `invoices`
 * read models built up to the head by the worker's own projectors.
 */
describe('ledgerline reconcile', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let server: StripeTestServer;
  let db: Client;
  let outDir: string;
  let withStripe: NodeJS.ProcessEnv;
  let withoutStripe: NodeJS.ProcessEnv;

  const cli = (args: string[], env: NodeJS.ProcessEnv = withStripe): Promise<CliResult> =>
    new Promise((resolve) => {
      execFile('node', [CLI, 'reconcile', ...args], { env, timeout: 90_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  const runRow = async (id: string) =>
    (
      await db.query(
        `SELECT status, requested_by, currency, account, source, findings, error, report
           FROM reconciliation_runs WHERE id = $1`,
        [id],
      )
    ).rows[0];
  const runIdOf = (stderr: string) => stderr.match(new RegExp(`reconcile run ${RUN_ID} done`))![1]!;

  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('cli_reconcile');
    store = await openStore(database.url);
    server = await startStripeServer();
    await seedMoneyScenario(store, server);
    const dataSource = await createDataSource(database.url, []).initialize();
    try {
      await buildCheckedReadModels(store, dataSource);
    } finally {
      await dataSource.destroy();
    }
    db = new Client({ connectionString: database.url });
    await db.connect();
    outDir = mkdtempSync(join(tmpdir(), 'cli-reconcile-'));
    withoutStripe = { ...cliEnv(database.url), STRIPE_API_KEY: '', STRIPE_API_BASE: '' };
    withStripe = { ...withoutStripe, STRIPE_API_KEY: STRIPE_TEST_API_KEY, STRIPE_API_BASE: server.url };
  }, 180_000);
  afterAll(async () => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
    await db?.end();
    await server?.close();
    await store?.close();
    await database?.drop();
  });

  it('reconciles a clean day with exit 0, records the run as cli:<user>, and --show gives its bytes back', async () => {
    const result = await cli(DAY1);
    expect(result).toMatchObject({ code: 0 });
    const report = JSON.parse(result.stdout) as ReconciliationReport;
    expect(report.period).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' });
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({ findings: 0, byKind: {} });
    expect(report.balanceTransactions).toEqual({ source: 'stripe_api', count: 6 });
    expect(report.readModels).toMatchObject({ checked: true, reason: null });
    expect(report.position).toBe((await store.headPosition()).toString());
    const platformEur = report.ledger.find((line) => line.currency === 'eur' && line.account === null);
    expect(platformEur).toMatchObject({ day: '2026-01-01', grossCharges: 8000, charges: 2 });

    // Progress and the summary on stderr; stdout is the report alone.
    expect(result.stderr).toMatch(/reconcile run [0-9a-f-]+: reading the money events up to position \d+/);
    const id = runIdOf(result.stderr);
    expect(result.stderr).toMatch(
      new RegExp(
        `reconcile run ${id} done: position ${report.position}, ${report.eventsRead} events read, ` +
          'balance transactions from stripe_api \\(6\\), read models checked, 0 findings; report: stdout\\n',
      ),
    );
    expect(await runRow(id)).toMatchObject({
      status: 'done',
      requested_by: `cli:${userInfo().username}`,
      currency: null,
      account: null,
      source: 'stripe_api',
      findings: 0,
      error: null,
      report: result.stdout,
    });

    const shown = await cli(['--show', id]);
    expect(shown).toMatchObject({ code: 0, stdout: result.stdout });

    // A currency and a Connect account narrow the report, and the run row says so.
    const connect = await cli([...DAY1, '--currency', 'eur', '--account', 'acct_scenario']);
    expect(connect.code).toBe(0);
    const connectReport = JSON.parse(connect.stdout) as ReconciliationReport;
    expect(connectReport.ledger.map((line) => [line.account, line.grossCharges])).toEqual([['acct_scenario', 2500]]);
    expect(await runRow(runIdOf(connect.stderr))).toMatchObject({ currency: 'eur', account: 'acct_scenario' });
  }, 90_000);

  it('exits 2 for a day with findings, one of every kind the events and Stripe can show', async () => {
    const result = await cli(DAY2);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as ReconciliationReport;
    expect(report.readModels).toMatchObject({ checked: true, reason: null });
    expect([...new Set(report.findings.map((finding) => finding.kind))]).toEqual([
      'amount_differs',
      'counted_twice',
      'currency_differs',
      'missing_in_events',
      'missing_in_stripe',
      'paid_invoice_without_payment',
      'payment_without_invoice',
      'platform_refund_amount_differs',
      'platform_refund_not_in_stripe',
      'stripe_refund_not_in_events',
    ]);
    expect(report.summary.findings).toBe(10);
    const id = runIdOf(result.stderr);
    expect(result.stderr).toMatch(
      /, 10 findings \(amount_differs 1, counted_twice 1, .*stripe_refund_not_in_events 1\)/,
    );
    expect(await runRow(id)).toMatchObject({ status: 'done', findings: 10, report: result.stdout });
  }, 90_000);

  it('writes --format csv --out FILE atomically, the same bytes every run, and --show rewrites it', async () => {
    const first = join(outDir, 'day2.csv');
    const second = join(outDir, 'day2-again.csv');
    const one = await cli([...DAY2, '--format', 'csv', '--out', first]);
    expect(one).toMatchObject({ code: 2, stdout: '' });
    expect(one.stderr).toMatch(new RegExp(`; report: ${first.replace(/[.]/g, '\\.')}\\n`));
    const two = await cli([...DAY2, '--format=csv', '--out', second]);
    expect(two.code).toBe(2);
    const csv = readFileSync(first);
    expect(readFileSync(second).equals(csv)).toBe(true);
    expect(csv.toString().split('\r\n')[0]).toMatch(/^record,day,currency,account,gross_charges,.*,message$/);
    expect(
      csv
        .toString()
        .split('\r\n')
        .filter((row) => row.startsWith('finding,')),
    ).toHaveLength(10);
    expect(readdirSync(outDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    // The stored run's report is JSON; --show --format csv gives the same CSV bytes back.
    const id = runIdOf(one.stderr);
    const shown = join(outDir, 'shown.csv');
    const show = await cli(['--show', id, '--format', 'csv', '--out', shown]);
    expect(show).toMatchObject({ code: 0, stdout: '' });
    expect(readFileSync(shown).equals(csv)).toBe(true);
    const json = await cli(['--show', id]);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as ReconciliationReport).summary.findings).toBe(10);
  }, 90_000);

  it('reads the digests earlier runs kept, and with --without-digests every event, into the same report', async () => {
    await cli(DAY2);
    const again = await cli(DAY2);
    const full = await cli([...DAY2, '--without-digests']);
    expect(again.code).toBe(2);
    expect(full).toMatchObject({ code: 2, stdout: again.stdout });
    const events = (JSON.parse(again.stdout) as ReconciliationReport).eventsRead;
    expect(events).toBeGreaterThan(20);
    expect(again.stderr).toContain(
      `reconcile ${events} money events read (${events} of them as digests kept by earlier runs)`,
    );
    expect(full.stderr).toContain(`reconcile ${events} money events read (0 of them as digests kept by earlier runs)`);
  });

  it("uses the events' balance transactions without STRIPE_API_KEY, and says so", async () => {
    const result = await cli(DAY1, withoutStripe);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ReconciliationReport;
    expect(report.balanceTransactions).toEqual({ source: 'events', count: 2 });
    expect(report.findings).toEqual([]);
    expect(result.stderr).toMatch(/STRIPE_API_KEY is not set/);
    expect(result.stderr).toMatch(/balance transactions from events \(2\)/);
    expect(await runRow(runIdOf(result.stderr))).toMatchObject({ source: 'events', status: 'done' });
  }, 60_000);

  it('is stopped by Ctrl-C with exit 130, the run marked failed with the reason', async () => {
    // The payments read model lags, so the run waits for it (up to 30 s) at its last step.
    await db.query(`UPDATE projections.projection_state SET position = 1 WHERE name = 'payments'`);
    try {
      const child = spawn('node', [CLI, 'reconcile', ...DAY1], {
        env: withoutStripe,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      for (const deadline = Date.now() + 30_000; !/checking the read models/.test(stderr); await sleep(25)) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`never reached the check:\n${stderr}`);
      }
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      const [, id] = stderr.match(new RegExp(`reconcile run ${RUN_ID} stopped: interrupted by Ctrl-C`))!;
      expect(await runRow(id!)).toMatchObject({
        status: 'failed',
        error: 'interrupted by Ctrl-C or SIGTERM in the CLI',
        report: null,
      });
      const show = await cli(['--show', id!]);
      expect(show.code).toBe(1);
      expect(show.stderr).toMatch(/has no report: it is failed \(interrupted by Ctrl-C/);
    } finally {
      await db.query(`UPDATE projections.projection_state SET position = $1 WHERE name = 'payments'`, [
        (await store.headPosition()).toString(),
      ]);
    }
  }, 60_000);

  it('lists the latest runs with --list', async () => {
    const result = await cli(['--list']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    const ids = (await db.query(`SELECT id FROM reconciliation_runs ORDER BY requested_at DESC, id DESC`)).rows.map(
      (row: { id: string }) => row.id,
    );
    expect(lines.map((line) => line.split('  ')[0])).toEqual(ids);
    const user = `cli:${userInfo().username}`;
    expect(lines[0]).toMatch(/^\S+ {2}failed +2026-01-01T00:00:00\.000Z \.\. 2026-01-02T00:00:00\.000Z {2}all\/all +/);
    expect(lines[0]).toContain(`${user}`);
    expect(lines[0]).toMatch(/error: interrupted by Ctrl-C or SIGTERM in the CLI$/);
    expect(lines).toContainEqual(expect.stringMatching(/done +2026-01-02T00:00:00\.000Z .* all\/all .* 10 findings$/));
    expect(lines).toContainEqual(expect.stringMatching(/ eur\/acct_scenario .* 0 findings$/));
  }, 60_000);

  it('answers bad arguments with exit 64 naming the option, before any database work', async () => {
    // Nothing listens here: a command that got as far as the database would fail with exit 1.
    const env = { ...withoutStripe, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing' };
    // Every refusal is checked in command-usage.unit.spec.ts; this is the process's answer to one.
    const args = [...DAY1, '--out', join(outDir, 'missing', 'report.json')];
    const result = await cli(args, env);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/option --out: directory .*missing does not exist/);
    expect(result.stderr).toMatch(/Usage: ledgerline reconcile /);
    expect(existsSync(join(outDir, 'missing'))).toBe(false);

    const unknown = await cli(['--show', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no reconciliation run 00000000-0000-4000-8000-000000000000/);
  }, 90_000);
});
