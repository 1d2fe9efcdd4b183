import type { DataSource } from 'typeorm';

/** A Stripe call of a command failed in a way that passes, and the process manager waits to try again. */
export interface StripeSyncRetryRecord {
  /** The attempt it waits to make (2 after the first failure). */
  attempt: number;
  /** What went wrong, in a few words: `429 rate limit`, `503 server error`, `network error`. Nothing of the request. */
  reason: string;
  /** How long it waits before that attempt. */
  delayMs: number;
}

/**
 * A retry whose next attempt is this far past is no longer being waited out: the attempt has been
 * answered or has timed out (the Stripe client gives up after 30 s) and would have replaced or
 * deleted the row, so the worker that wrote it stopped (a crash, a handover, the key removed).
 */
export const STALE_RETRY_AFTER = `interval '60 seconds'`;

/** Rows of commands whose outcome was lost in a crash are swept after this. */
const SWEEP_AFTER = `interval '1 day'`;

/**
 * The join the queries read a command's retry through: only while the command is pending, and
 * only while someone is still waiting it out.
 */
export function retryJoin(sync: string, attempts: string): string {
  return `LEFT JOIN stripe_sync_attempts ${attempts}
           ON ${attempts}.command_event_id = ${sync}.command_event_id AND ${sync}.status = 'pending'
          AND ${attempts}.next_attempt_at > now() - ${STALE_RETRY_AFTER}`;
}

/**
 * One statement, one row per command: the latest retry replaces the one before. Both times are
 * the database's, the clock the queries judge a retry stale by.
 */
export async function recordStripeSyncRetry(
  db: Pick<DataSource, 'query'>,
  commandEventId: string,
  retry: StripeSyncRetryRecord,
): Promise<void> {
  await db.query(
    `INSERT INTO stripe_sync_attempts (command_event_id, attempt, reason, last_attempt_at, next_attempt_at)
     VALUES ($1, $2, $3, now(), now() + $4 * interval '1 millisecond')
     ON CONFLICT (command_event_id) DO UPDATE
       SET attempt = EXCLUDED.attempt, reason = EXCLUDED.reason,
           last_attempt_at = EXCLUDED.last_attempt_at, next_attempt_at = EXCLUDED.next_attempt_at`,
    [commandEventId, retry.attempt, retry.reason, retry.delayMs],
  );
}

/** Once the command's outcome is recorded: its row, and any left long ago by a worker that stopped. */
export async function forgetStripeSyncRetries(db: Pick<DataSource, 'query'>, commandEventId: string): Promise<void> {
  await db.query(
    `DELETE FROM stripe_sync_attempts WHERE command_event_id = $1 OR last_attempt_at < now() - ${SWEEP_AFTER}`,
    [commandEventId],
  );
}
