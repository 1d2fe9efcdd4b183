import {
  BackfillBusyError,
  BackfillRequestError,
  type BackfillRequest,
  backfillRequestOf,
  BackfillRuns,
  executeBackfill,
  runFor,
} from '@ledgerline/backfill';
import { loadConfig } from '@ledgerline/config';
import { createStripeClient } from '@ledgerline/stripe';
import { onlyWith, parseArgs, runIdOption, UsageError } from './args';
import { backfillSummary, BackfillBars, describeRun } from './backfill-output';
import { type CliContext, type Command, EXIT } from './command';
import { trapInterrupts } from './interrupts';
import { withReadModelDatabase } from './read-model-database';
import { requestedBy } from './reconcile-output';

const SPECS = {
  objects: { type: 'string' },
  since: { type: 'string' },
  days: { type: 'string' },
  account: { type: 'string' },
  restart: { type: 'boolean' },
  list: { type: 'boolean' },
  show: { type: 'string' },
} as const;

/**
 * `ledgerline backfill`: imports what a Stripe account already holds as `source: "backfill"` events.
 * The same command again resumes an unfinished run of the same request from its last committed page.
 */
export const backfillCommand: Command = {
  name: 'backfill',
  synopsis:
    'backfill [--objects <types>] [--since <date> | --days <n>] [--account <acct_...> | all] [--restart] | --list | --show <run id>',
  summary: "import an existing Stripe account's objects as events, resumably, within Stripe's rate limits",
  help: [
    '  --objects <types>          comma-separated, imported in dependency order whatever the order given (default: all):',
    '                             customers, products, prices, plans, coupons, subscriptions, invoices, charges,',
    '                             refunds, disputes, payment_methods, balance_transactions',
    '  --since <date>             only objects created at or after this date (UTC) or time with a zone',
    '  --days <n>                 only objects created in the last n days',
    '  --account <acct_...>|all   a Connect account (Stripe-Account header), or every connected account (default: the platform)',
    '  --restart                  start a new run instead of resuming an unfinished one of the same request',
    '  --list                     the latest 20 runs (CLI and API)',
    "  --show <run id>            a run's progress and counts, as JSON",
    'Needs STRIPE_API_KEY. Pace: BACKFILL_REQUESTS_PER_SECOND (it slows down by itself on 429).',
    'Exit 0: done; 1: failed (the failures are listed; run it again to retry them); 75: the same backfill',
    'is running elsewhere; 130: stopped by Ctrl-C/SIGTERM (run it again to resume).',
  ].join('\n'),
  prepare(args) {
    const { options } = parseArgs(args, SPECS);
    if (options.list) {
      onlyWith('list', options);
      return (context) =>
        withRuns(context, async (runs) => {
          for (const run of await runs.list(20)) process.stdout.write(`${describeRun(run)}\n`);
          return EXIT.ok;
        });
    }
    if (options.show !== undefined) {
      onlyWith('show', options);
      const id = runIdOption('show', options.show);
      return (context) =>
        withRuns(context, async (runs) => {
          const run = await runs.get(id);
          if (!run) {
            context.log(`no backfill run ${id}`);
            return EXIT.failed;
          }
          process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
          return EXIT.ok;
        });
    }
    let days: number | undefined;
    if (options.days !== undefined) {
      if (!/^\d+$/.test(options.days))
        throw new UsageError(`option --days needs a whole number, got "${options.days}"`);
      days = Number(options.days);
    }
    let request: BackfillRequest;
    try {
      request = backfillRequestOf({
        objects: options.objects?.split(','),
        since: options.since,
        days,
        account: options.account,
      });
    } catch (error) {
      if (error instanceof BackfillRequestError) throw new UsageError(`option --${error.field}: ${error.message}`);
      throw error;
    }
    const restart = options.restart === true;
    return (context) => withRuns(context, (runs) => backfill(context, runs, request, restart));
  },
};

function withRuns(context: CliContext, work: (runs: BackfillRuns) => Promise<number>): Promise<number> {
  return withReadModelDatabase(context, (dataSource) => work(new BackfillRuns(dataSource)));
}

async function backfill(
  context: CliContext,
  runs: BackfillRuns,
  request: BackfillRequest,
  restart: boolean,
): Promise<number> {
  const config = loadConfig();
  if (!config.stripe.apiKey) {
    context.log('ledgerline backfill: STRIPE_API_KEY is not set: there is no Stripe account to import from');
    return EXIT.config;
  }
  const stripe = createStripeClient({ apiKey: config.stripe.apiKey, apiBase: config.stripe.apiBase });
  let target: { id: string; resumed: boolean };
  try {
    target = await runFor(runs, request, requestedBy(), { restart });
  } catch (error) {
    if (!(error instanceof BackfillBusyError)) throw error;
    context.log(
      `ledgerline backfill: ${error.message}; wait for it, or stop it (POST /admin/backfill/${error.runId}/stop)`,
    );
    return EXIT.tempFail;
  }
  context.log(`backfill run ${target.id} ${target.resumed ? 'resumed where it stopped' : 'started'}`);
  const interrupts = trapInterrupts(context.log);
  const bars = new BackfillBars(request.accountScope !== 'platform');
  try {
    const run = await executeBackfill({ store: context.store, stripe, runs, config: config.backfill }, target.id, {
      signal: interrupts.signal,
      onProgress: (listing) => bars.update(listing),
      log: context.log,
    });
    process.stdout.write(`${backfillSummary(run)}\n`);
    if (run.status === 'stopped') {
      context.log(`stopped: run the same command again to resume from the last committed page`);
      return EXIT.interrupted;
    }
    return run.status === 'done' ? EXIT.ok : EXIT.failed;
  } catch (error) {
    if (error instanceof BackfillBusyError) {
      context.log(`ledgerline backfill: ${error.message}`);
      return EXIT.tempFail;
    }
    throw error;
  } finally {
    interrupts.dispose();
  }
}
