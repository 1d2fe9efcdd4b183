import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import {
  type ReconciliationInput,
  ReconciliationRuns,
  startReconciliationRun,
  stripeBalanceClient,
} from '@ledgerline/reconciliation';

/** Runs at once in one API process: each holds a period's ledger in memory. */
const MAX_RUNNING = 2;

export class TooManyRunsError extends Error {
  constructor(readonly running: string[]) {
    super(
      `${running.length} reconciliation runs are already in progress here (${running.join(', ')}); try again when one is done`,
    );
  }
}

/**
 * Starts reconciliation runs in this process, in the background: the request returns at once with
 * the run's id, and the run row (progress, then the report) is what callers poll. Shutting down
 * stops running runs, which are then marked failed with the reason.
 */
@Injectable()
export class ReconciliationRunner implements OnApplicationShutdown {
  private readonly logger = new Logger('Reconciliation');
  private readonly running = new Map<string, AbortController>();
  readonly runs: ReconciliationRuns;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {
    this.runs = new ReconciliationRuns(dataSource);
  }

  async start(input: ReconciliationInput, requestedBy: string): Promise<string> {
    if (this.running.size >= MAX_RUNNING) throw new TooManyRunsError([...this.running.keys()]);
    const abort = new AbortController();
    const { id, done } = await startReconciliationRun(this.runs, input, requestedBy, {
      store: this.store,
      dataSource: this.dataSource,
      stripe: stripeBalanceClient(this.config.stripe),
      signal: abort.signal,
    });
    this.running.set(id, abort);
    done
      .then((report) =>
        this.logger.log(`run ${id}: ${report.summary.findings} findings up to position ${report.position}`),
      )
      .catch((error: Error) => this.logger.error(`run ${id} failed: ${error.message}`))
      .finally(() => this.running.delete(id));
    return id;
  }

  onApplicationShutdown(): void {
    for (const abort of this.running.values()) abort.abort(new Error('the API process shut down during the run'));
  }
}
