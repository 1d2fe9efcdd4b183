import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type BackfillRequest, BackfillRuns, startBackfill, runFor } from '@ledgerline/backfill';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { createStripeClient } from '@ledgerline/stripe';

/** Backfills at once in one API process: they share Stripe's rate limit, so more would not go faster. */
const MAX_RUNNING = 2;

export class StripeKeyMissingError extends Error {
  constructor() {
    super('STRIPE_API_KEY is not set: there is no Stripe account to import from');
  }
}

export class TooManyBackfillsError extends Error {
  constructor(readonly running: string[]) {
    super(`${running.length} backfills are already running here (${running.join(', ')}); try again when one is done`);
  }
}

/**
 * Runs backfills in the background of this API process: a request returns at once with the run,
 * whose row (counts per listing, rate, ETA) callers poll. An unfinished run of the same request is
 * resumed rather than started again. Shutting down stops running ones after their page in hand;
 * they are `stopped` and resume on the next request (or `ledgerline backfill`).
 */
@Injectable()
export class BackfillRunner implements OnApplicationShutdown {
  private readonly logger = new Logger('Backfill');
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  readonly runs: BackfillRuns;

  constructor(
    dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {
    this.runs = new BackfillRuns(dataSource);
  }

  /** Starts or resumes the run of this request; throws BackfillBusyError if another process runs it. */
  async start(
    request: BackfillRequest,
    requestedBy: string,
    options: { restart?: boolean } = {},
  ): Promise<{ id: string; resumed: boolean }> {
    this.assertCanStart();
    const target = await runFor(this.runs, request, requestedBy, options);
    await this.execute(target.id);
    return target;
  }

  /** Resumes a stopped, failed or interrupted run by id (BackfillBusyError if it is running). */
  async resume(id: string): Promise<void> {
    this.assertCanStart();
    await this.execute(id);
  }

  private assertCanStart(): void {
    if (!this.config.stripe.apiKey) throw new StripeKeyMissingError();
    if (this.running.size >= MAX_RUNNING) throw new TooManyBackfillsError([...this.running.keys()]);
  }

  private async execute(id: string): Promise<void> {
    const { apiKey, apiBase } = this.config.stripe;
    const abort = new AbortController();
    const stripe = createStripeClient({ apiKey: apiKey!, apiBase });
    const { done } = await startBackfill(
      { store: this.store, stripe, runs: this.runs, config: this.config.backfill },
      id,
      { signal: abort.signal, log: (message) => this.logger.log(`run ${id}: ${message}`) },
    );
    const ended = done
      .then(
        (run) =>
          this.logger.log(`run ${id} ${run.status}: ${run.totals.fetched} fetched, ${run.totals.appended} appended`),
        (error: Error) => this.logger.error(`run ${id} failed: ${error.message}`),
      )
      .finally(() => this.running.delete(id));
    this.running.set(id, { abort, done: ended });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const { abort } of this.running.values()) abort.abort();
    await Promise.all([...this.running.values()].map((run) => run.done));
  }
}
