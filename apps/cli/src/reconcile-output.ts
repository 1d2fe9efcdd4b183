import { rename, rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import {
  CHECKED_PROJECTIONS,
  type ReconciliationProgress,
  type ReconciliationReport,
  type ReconciliationRun,
  type ReconciliationRuns,
  reportCsv,
  reportJson,
} from '@ledgerline/reconciliation';
import { EXIT } from './command';

export interface ReportOutput {
  format: 'json' | 'csv';
  /** A file, written atomically; null: stdout. */
  out: string | null;
}

/** Who asked, as the run row records it: `cli:<os user>` (the API records its caller). */
export function requestedBy(): string {
  let user: string | undefined;
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry for the uid (some containers): the environment is all there is.
  }
  return `cli:${user || process.env.USER || process.env.LOGNAME || 'unknown'}`;
}

/** A run's phase as the CLI tells it on stderr. */
export function describePhase(progress: ReconciliationProgress, stripe: boolean, waitMs: number): string {
  if (progress.phase === 'events') return `reading the money events up to position ${progress.position}`;
  if (progress.phase === 'stripe') {
    return stripe ? "listing Stripe's balance transactions" : 'taking the balance transactions the events carry';
  }
  const wait = `waiting up to ${waitMs / 1000} s for them to reach position ${progress.position}`;
  return `checking the read models (${CHECKED_PROJECTIONS.join(', ')}; ${wait})`;
}

export function renderReport(report: ReconciliationReport, format: ReportOutput['format']): string {
  return format === 'csv' ? reportCsv(report) : reportJson(report);
}

/**
 * The report to stdout, or to `out` through `out.tmp` and a rename, so the file is either absent
 * (or as it was) or complete. Returns where it went, for the summary.
 */
export async function writeOutput(text: string, out: string | null): Promise<string> {
  if (out === null) {
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(text, (error) => (error ? reject(error) : resolve())),
    );
    return 'stdout';
  }
  const temporary = `${out}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, out);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return out;
}

/** `run <id> done: position ..., ...; N findings (kind n, ...); report: <where>`. */
export function summary(id: string, report: ReconciliationReport, where: string): string {
  const kinds = Object.entries(report.summary.byKind)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  const findings = `${report.summary.findings} findings${kinds ? ` (${kinds})` : ''}`;
  const readModels = report.readModels.checked ? 'checked' : `not checked (${report.readModels.reason})`;
  return (
    `reconcile run ${id} done: position ${report.position}, ${report.eventsRead} events read, ` +
    `balance transactions from ${report.balanceTransactions.source} (${report.balanceTransactions.count}), ` +
    `read models ${readModels}, ${findings}; report: ${where}`
  );
}

export async function printRuns(runs: ReconciliationRuns): Promise<number> {
  const { runs: latest } = await runs.list({ limit: 20 });
  const lines = latest.map((run) =>
    [
      run.id,
      run.status.padEnd(11),
      `${run.period.from} .. ${run.period.to}`,
      `${run.currency ?? 'all'}/${run.account ?? 'all'}`.padEnd(24),
      run.requestedBy.padEnd(20),
      findingsOf(run),
    ].join('  '),
  );
  await writeOutput(lines.length ? `${lines.join('\n')}\n` : 'no reconciliation runs yet\n', null);
  return EXIT.ok;
}

function findingsOf(run: ReconciliationRun): string {
  if (run.status === 'failed') return `error: ${run.error}`;
  if (run.findings === null) return `${run.phase ?? 'starting'}, ${run.eventsRead} events read`;
  return `${run.findings} findings`;
}

/** A stored run's report, byte for byte as written (JSON), or as CSV from it. */
export async function showRun(
  runs: ReconciliationRuns,
  id: string,
  output: ReportOutput,
  log: (message: string) => void,
): Promise<number> {
  const run = await runs.get(id);
  if (!run) {
    log(`no reconciliation run ${id} (ledgerline reconcile --list shows the latest)`);
    return EXIT.failed;
  }
  const text = await runs.report(id);
  if (text === null) {
    log(`reconciliation run ${id} has no report: it is ${run.status}${run.error ? ` (${run.error})` : ''}`);
    return run.status === 'running' ? EXIT.tempFail : EXIT.failed;
  }
  const report = JSON.parse(text) as ReconciliationReport;
  const where = await writeOutput(output.format === 'csv' ? reportCsv(report) : text, output.out);
  if (output.out !== null) log(`reconciliation run ${id}: report written to ${where}`);
  return EXIT.ok;
}
