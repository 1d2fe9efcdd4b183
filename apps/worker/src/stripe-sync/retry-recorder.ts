import type { DataSource } from 'typeorm';
import { forgetStripeSyncRetries, recordStripeSyncRetry, type StripeSyncRetryRecord } from '@ledgerline/read-models';

/** Where the process manager tells who waits for it that a command is being retried (or no longer is). */
export interface RetryRecorder {
  /** Called in the retry loop, which does not wait for it. */
  retrying(commandEventId: string, retry: StripeSyncRetryRecord): void;
  /** After the command's outcome is appended. */
  settled(commandEventId: string): Promise<void>;
}

/**
 * Keeps `stripe_sync_attempts` up to date for GET /subscriptions/:id, /customers/:id and
 * /admin/stripe-sync (issue 28). It is operational state, so a write that fails is logged and
 * dropped: the Stripe call goes on regardless. Writes run one after the other, so a retry's row
 * never lands after the delete that follows its command's outcome. Only the stripe-sync lease
 * holder runs the process manager, so there is one writer at a time.
 */
export class AttemptsTableRecorder implements RetryRecorder {
  private writes: Promise<void> = Promise.resolve();
  /** Commands this worker wrote a row for: the others need no delete. */
  private readonly recorded = new Set<string>();

  constructor(
    private readonly dataSource: Pick<DataSource, 'query'>,
    private readonly log: (message: string) => void,
  ) {}

  retrying(commandEventId: string, retry: StripeSyncRetryRecord): void {
    this.recorded.add(commandEventId);
    this.enqueue(`the retry of ${commandEventId}`, () => recordStripeSyncRetry(this.dataSource, commandEventId, retry));
  }

  async settled(commandEventId: string): Promise<void> {
    if (!this.recorded.delete(commandEventId)) return;
    this.enqueue(`the end of ${commandEventId}'s retries`, () =>
      forgetStripeSyncRetries(this.dataSource, commandEventId),
    );
    await this.writes;
  }

  private enqueue(what: string, write: () => Promise<void>): void {
    this.writes = this.writes.then(write).catch((error: unknown) => {
      this.log(`could not record ${what} (${error instanceof Error ? error.message : String(error)}); going on`);
    });
  }
}
