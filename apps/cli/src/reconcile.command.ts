import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@ledgerline/config';
import { timeBound } from '@ledgerline/events';
import {
  type ReconciliationInput,
  type ReconciliationProgress,
  ReconciliationRuns,
  startReconciliationRun,
  stripeBalanceClient,
} from '@ledgerline/reconciliation';
import { onlyWith, parseArgs, runIdOption, UsageError } from './args';
import { type CliContext, type Command, EXIT } from './command';
import { trapInterrupts } from './interrupts';
import { Progress } from './progress';
import { withReadModelDatabase } from './read-model-database';
import {
  describePhase,
  printRuns,
  renderReport,
  type ReportOutput,
  requestedBy,
  showRun,
  summary,
  writeOutput,
} from './reconcile-output';

const SPECS = {
  from: { type: 'string' },
  to: { type: 'string' },
  currency: { type: 'string' },
  account: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  list: { type: 'boolean' },
  show: { type: 'string' },
  'without-digests': { type: 'boolean' },
} as const;

/** How long the read-model check waits for `payments` and `invoices` to reach the run's position. */
const READ_MODEL_WAIT_MS = 30_000;

/**
 * `ledgerline reconcile`: a period's money events against Stripe's balance transactions and the read
 * models, recorded in `reconciliation_runs` like the runs the API starts. The report goes to stdout
 * or a file; the exit code says whether there were findings.
 */
export const reconcileCommand: Command = {
  name: 'reconcile',
  synopsis:
    'reconcile --from <time> --to <time> [--currency <c>] [--account <acct_...>] [--format json|csv] [--out <file>] [--without-digests] | --list | --show <run id>',
  summary: "reconcile a period's money events with Stripe's balance transactions and the read models, for finance",
  help: [
    '  --from, --to <time>       the period (UTC): 2026-01-01 (midnight) or 2026-01-01T12:00:00Z; from inclusive, to exclusive',
    '  --currency <c>            only this currency (three lowercase letters: eur)',
    '  --account <acct_...>      only this Connect account (default: the platform and every account)',
    '  --format json|csv         the report format (default json)',
    '  --out <file>              write the report to this file (atomically) instead of stdout',
    '  --list                    the latest 20 runs, from the CLI and the API',
    "  --show <run id>           a stored run's report (with --format, --out)",
    "  --without-digests         read every money event's whole body, not the digests earlier runs kept (same report; slower)",
    'Exit 0: no findings; 2: findings; 1: failed; 130: stopped by Ctrl-C/SIGTERM (the run is marked failed).',
  ].join('\n'),
  prepare(args) {
    const { options } = parseArgs(args, SPECS);
    if (options.list) {
      onlyWith('list', options);
      return (context) => withRuns(context, (runs) => printRuns(runs));
    }
    const output = outputOptions(options.format, options.out);
    if (options.show !== undefined) {
      onlyWith('show', options, ['format', 'out']);
      const id = runIdOption('show', options.show);
      return (context) => withRuns(context, (runs) => showRun(runs, id, output, context.log));
    }
    if (options.from === undefined || options.to === undefined) {
      throw new UsageError('--from and --to are required (or --list, or --show <run id>)');
    }
    const from = timeOption('from', options.from);
    const to = timeOption('to', options.to);
    if (to <= from) throw new UsageError(`--to (${options.to}) must come after --from (${options.from})`);
    if (options.currency !== undefined && !/^[a-z]{3}$/.test(options.currency)) {
      throw new UsageError(`option --currency needs a three-letter code in lowercase (eur), got "${options.currency}"`);
    }
    if (options.account !== undefined && !/^acct_[A-Za-z0-9]+$/.test(options.account)) {
      throw new UsageError(`option --account needs a Connect account id (acct_...), got "${options.account}"`);
    }
    const input: ReconciliationInput = {
      from,
      to,
      currency: options.currency ?? null,
      account: options.account ?? null,
    };
    const digests = options['without-digests'] !== true;
    return (context) =>
      withRuns(context, (runs, dataSource) => reconcileRun(context, runs, dataSource, input, output, digests));
  },
};

function outputOptions(format: string | undefined, out: string | undefined): ReportOutput {
  if (format !== undefined && format !== 'json' && format !== 'csv') {
    throw new UsageError(`option --format needs json or csv, got "${format}"`);
  }
  if (out !== undefined) {
    const directory = dirname(resolve(out));
    if (!existsSync(directory) || !statSync(directory).isDirectory()) {
      throw new UsageError(`option --out: directory ${directory} does not exist`);
    }
    if (existsSync(out) && statSync(out).isDirectory()) throw new UsageError(`option --out: ${out} is a directory`);
  }
  return { format: format === 'csv' ? 'csv' : 'json', out: out ?? null };
}

/** An ISO 8601 date (UTC midnight) or time with a zone, as Unix seconds (the API's rule too). */
function timeOption(name: 'from' | 'to', value: string): number {
  const bound = timeBound(value);
  if ('problem' in bound) throw new UsageError(`option --${name} ${bound.problem}, got "${value}"`);
  return bound.seconds;
}

async function withRuns(
  context: CliContext,
  work: (runs: ReconciliationRuns, dataSource: DataSource) => Promise<number>,
): Promise<number> {
  return withReadModelDatabase(context, (dataSource) => work(new ReconciliationRuns(dataSource), dataSource));
}

async function reconcileRun(
  { store, log }: CliContext,
  runs: ReconciliationRuns,
  dataSource: DataSource,
  input: ReconciliationInput,
  output: ReportOutput,
  digests: boolean,
): Promise<number> {
  const stripe = stripeBalanceClient(loadConfig().stripe);
  if (!stripe) log("STRIPE_API_KEY is not set: using the balance transactions the events carry, not Stripe's");
  const by = requestedBy();
  const interrupts = trapInterrupts(log);
  // Its reason is the error the run row keeps.
  const abort = new AbortController();
  interrupts.signal.addEventListener('abort', () =>
    abort.abort(new Error('interrupted by Ctrl-C or SIGTERM in the CLI')),
  );
  // A bar (counts, rate, ETA) while the events are read, the bulk of a run; a line per later phase.
  const progress = new Progress('reconcile');
  let phase: ReconciliationProgress['phase'] | null = null;
  let eventsRead = 0;
  let fromDigests = 0;
  const endEvents = (outcome: string) =>
    phase === 'events' &&
    progress.finish(`${eventsRead} money events ${outcome} (${fromDigests} of them as digests kept by earlier runs)`);
  let id = '';
  try {
    const run = await startReconciliationRun(runs, input, by, {
      store,
      dataSource,
      stripe,
      readModelWaitMs: READ_MODEL_WAIT_MS,
      signal: abort.signal,
      digests,
      onProgress: (current) => {
        eventsRead = current.eventsRead;
        fromDigests = current.fromDigests;
        if (current.phase !== phase) {
          endEvents('read');
          phase = current.phase;
          log(`reconcile run ${id}: ${describePhase(current, stripe !== null, READ_MODEL_WAIT_MS)}`);
        }
        if (phase === 'events') {
          const events = `${eventsRead.toLocaleString('en')} money events`;
          progress.update(Number(current.scanned), Number(current.position), events);
        }
      },
    });
    id = run.id;
    log(`reconcile run ${id} started (requested by ${by})`);
    let report;
    try {
      report = await run.done;
    } catch (error) {
      endEvents('read, then stopped');
      const interrupted = abort.signal.aborted;
      log(`reconcile run ${id} ${interrupted ? 'stopped' : 'failed'}: ${(error as Error).message}`);
      return interrupted ? EXIT.interrupted : EXIT.failed;
    }
    const where = await writeOutput(renderReport(report, output.format), output.out);
    log(summary(id, report, where));
    return report.summary.findings > 0 ? EXIT.findings : EXIT.ok;
  } finally {
    interrupts.dispose();
  }
}
