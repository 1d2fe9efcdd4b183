import type Stripe from 'stripe';
import type { BackfillConfig } from '@ledgerline/config';
import type { EventStore } from '@ledgerline/event-store';
import { RequestPacer } from '../stripe/request-pacer';
import type { BackfillRun, BackfillTypeProgress } from './backfill-run';
import type { BackfillRuns } from './backfill-runs';
import { type BackfillContext, listAll, requestOptions, stripeCall } from './backfill-context';
import { importListing } from './import-listing';
import { importProductSubscribers } from './import-product-subscribers';

export interface BackfillDependencies {
  store: EventStore;
  stripe: Stripe;
  runs: BackfillRuns;
  config: BackfillConfig;
}

export interface ExecuteBackfillOptions {
  /** Stops the run after the page in hand; it is recorded as `stopped` and resumes where it stopped. */
  signal?: AbortSignal;
  onProgress?(listing: BackfillTypeProgress): void;
  log?(message: string): void;
  /** Backoff base for retries without a Retry-After (tests shorten it). */
  backoffBaseMs?: number;
  heartbeatMs?: number;
}

/** Another process is running this backfill. */
export class BackfillBusyError extends Error {
  constructor(readonly runId: string) {
    super(`backfill run ${runId} is already running in another process`);
    this.name = 'BackfillBusyError';
  }
}

/**
 * Runs (or resumes) a backfill: plans its listings once (for `--account all`, one set per connected
 * account), then lists each type in dependency order from where it stopped. A listing that fails
 * for good is reported on its row and in the run's error, and the others still run; the run then
 * ends `failed`, and running it again retries exactly the failed pages.
 */
export async function executeBackfill(
  dependencies: BackfillDependencies,
  runId: string,
  options: ExecuteBackfillOptions = {},
): Promise<BackfillRun> {
  return (await startBackfill(dependencies, runId, options)).done;
}

/**
 * Claims the run for this process (throws BackfillBusyError if a live process holds it), then runs
 * it in the background: `done` settles when it ends. For callers that answer before the run ends.
 */
export async function startBackfill(
  dependencies: BackfillDependencies,
  runId: string,
  options: ExecuteBackfillOptions = {},
): Promise<{ done: Promise<BackfillRun> }> {
  const { runs } = dependencies;
  if (!(await runs.claim(runId))) throw new BackfillBusyError(runId);
  return { done: execute(dependencies, runId, options) };
}

async function execute(
  dependencies: BackfillDependencies,
  runId: string,
  options: ExecuteBackfillOptions,
): Promise<BackfillRun> {
  const { runs } = dependencies;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) stop.abort();
  const heartbeat = setInterval(() => {
    runs.beat(runId).then(
      ({ stopRequested }) => stopRequested && stop.abort(),
      () => undefined,
    );
  }, options.heartbeatMs ?? 5_000);
  const context: BackfillContext = {
    run: (await runs.get(runId))!,
    store: dependencies.store,
    stripe: dependencies.stripe,
    runs,
    pacer: new RequestPacer(dependencies.config.requestsPerSecond),
    maxAttempts: dependencies.config.maxAttempts,
    pageSize: dependencies.config.pageSize,
    backoffBaseMs: options.backoffBaseMs,
    signal: stop.signal,
    stop: () => stop.abort(),
    listedFrom: Math.floor(Date.now() / 1000),
    apiVersion: dependencies.stripe.getApiField('version') ?? 'unknown',
    retries: 0,
    onProgress: (listing) => options.onProgress?.({ ...listing }),
    log: options.log ?? (() => undefined),
  };
  try {
    const failures = await runListings(context);
    await runs.finish(runId, failures.length ? 'failed' : 'done', failures.join('\n') || null);
  } catch (error) {
    const stopped = stop.signal.aborted;
    await runs.finish(runId, stopped ? 'stopped' : 'failed', stopped ? null : (error as Error).message);
    if (!stopped) throw error;
  } finally {
    clearInterval(heartbeat);
    options.signal?.removeEventListener('abort', onAbort);
  }
  return (await runs.get(runId))!;
}

async function runListings(context: BackfillContext): Promise<string[]> {
  const { run, runs } = context;
  if (run.progress.length === 0) {
    const accounts = await accountsOf(context);
    const objects = run.kind === 'product_import' ? (['customers', 'subscriptions'] as const) : run.objects;
    await runs.plan(
      run.id,
      accounts.flatMap((account) => objects.map((object) => ({ account, object }))),
    );
  }
  const listings = await runs.progress(run.id);
  const lowerBounds = new Map<string | null, Promise<number | null>>();
  const failures: string[] = [];
  for (const listing of listings) {
    context.onProgress(listing);
    if (listing.done || (run.kind === 'product_import' && listing.object === 'customers')) continue;
    if (!lowerBounds.has(listing.account)) lowerBounds.set(listing.account, accountOpenedAt(context, listing.account));
    const lowerBound = await lowerBounds.get(listing.account)!;
    try {
      if (run.kind === 'product_import') {
        const customers = listings.find((l) => l.account === listing.account && l.object === 'customers')!;
        await importProductSubscribers(context, listing, customers, lowerBound);
      } else {
        await importListing(context, listing, lowerBound);
      }
    } catch (error) {
      if (context.signal.aborted) throw error;
      const message = (error as Error).message;
      failures.push(`${listing.object}${listing.account ? ` of ${listing.account}` : ''}: ${message}`);
      await runs.failListing(
        run.id,
        listing.account,
        listing.object,
        message,
        Number((error as { failed?: number }).failed ?? 0),
      );
      context.onProgress({ ...listing, error: message });
      context.log(`${listing.object}: ${message}`);
    }
  }
  return failures;
}

/** The accounts a run lists: the platform, one connected account, or every connected account. */
async function accountsOf(context: BackfillContext): Promise<(string | null)[]> {
  const scope = context.run.accountScope;
  if (scope === 'platform') return [null];
  if (scope !== 'all') return [scope];
  const accounts = await listAll(context, 'listing connected accounts', (startingAfter) =>
    context.stripe.accounts.list({ limit: 100, ...(startingAfter ? { starting_after: startingAfter } : {}) }),
  );
  return accounts.map((account) => account.id);
}

/** When the account was opened: no object of it is older, which bounds the estimates. Null if unknown. */
async function accountOpenedAt(context: BackfillContext, account: string | null): Promise<number | null> {
  try {
    // GET /v1/account as the account itself (Stripe-Account), like every other request of its listings.
    const opened = await stripeCall(context, 'reading the account', () =>
      context.stripe.accounts.retrieveCurrent({}, requestOptions(account)),
    );
    return typeof opened.created === 'number' ? opened.created : null;
  } catch (error) {
    if (context.signal.aborted) throw error;
    context.log(`could not read when ${account ?? 'the platform account'} was opened; no ETA until a listing ends`);
    return null;
  }
}
