import type { DataSource } from 'typeorm';
import { isUuid } from '@ledgerline/event-store';
import { paged, type Page, type Paged } from '../shared/paging';
import { rowView } from '../shared/row-view';
import type { Column } from '../shared/snapshot-table';
import { retryJoin, STALE_RETRY_AFTER } from './stripe-sync-attempts';
import type { StripeSyncStatus } from './stripe-sync.projector';

export interface StripeSyncSummary {
  /** Commands waiting for their outcome, those being retried included. */
  pending: number;
  /** Of the pending, those whose Stripe call failed in a way that passes and waits to be tried again. */
  retrying: number;
  synced: number;
  failed: number;
  /** When the oldest command still waiting for its outcome was issued; null when none waits. */
  oldestPendingAt: string | null;
}

/** One platform command and where it stands with Stripe. */
export interface StripeSyncView {
  commandEventId: string;
  /** Null only while an outcome has arrived before its command (not in store order). */
  stream: string | null;
  commandEventType: string | null;
  customerId: string | null;
  actor: string | null;
  occurredAt: string | null;
  eventPosition: number | null;
  status: StripeSyncStatus;
  /** The Stripe objects the outcome reports, by kind (`{ customer: 'cus_1' }`); null while pending or failed. */
  stripeIds: Record<string, string> | null;
  /** Why the last outcome failed; null unless failed. */
  reason: string | null;
  /** The most attempts a failure reported (0 when none failed). */
  attempts: number;
  outcomeEventId: string | null;
  outcomeAt: string | null;
  /** While pending: the retry the process manager waits out; null otherwise. */
  retrying: StripeSyncRetryView | null;
}

/** A pending command's Stripe call that failed in a way that passes (stripe_sync_attempts). */
export interface StripeSyncRetryView {
  /** The attempt it waits to make (2 after the first failure). */
  attempt: number;
  /** `429 rate limit`, `409 lock timeout`, `503 server error`, `network error`. */
  reason: string;
  lastAttemptAt: string;
  nextAttemptAt: string;
}

export interface StripeSyncFilter {
  /** `retrying`: pending commands being retried. */
  status?: StripeSyncStatus | 'retrying';
  /** Platform customer id (uuid): another id matches nothing. */
  customerId?: string;
}

const COLUMNS: Column[] = [
  { name: 'event_position', type: 'bigint' },
  { name: 'attempts', type: 'integer' },
];
const SELECTED = `s.command_event_id, s.stream, s.command_event_type, s.customer_id, s.actor, s.occurred_at,
  s.event_position, s.status, s.stripe_ids, s.reason, s.attempts, s.outcome_event_id, s.outcome_at,
  a.attempt AS retry_attempt, a.reason AS retry_reason, a.last_attempt_at AS retry_last_at,
  a.next_attempt_at AS retry_next_at`;

/** The row in camelCase, its retry (the attempts table's columns) as one object. */
function stripeSyncView(row: Record<string, unknown>): StripeSyncView {
  const {
    retry_attempt: attempt,
    retry_reason: reason,
    retry_last_at: lastAt,
    retry_next_at: nextAt,
    ...command
  } = row;
  const iso = (value: unknown) => new Date(value as Date).toISOString();
  const retrying =
    attempt === null || attempt === undefined
      ? null
      : { attempt: Number(attempt), reason: String(reason), lastAttemptAt: iso(lastAt), nextAttemptAt: iso(nextAt) };
  return { ...(rowView(command, COLUMNS) as unknown as Omit<StripeSyncView, 'retrying'>), retrying };
}

/** How many commands are pending (and of them retrying), synced and failed, and since when the oldest pending one waits. */
export async function stripeSyncSummary(dataSource: DataSource): Promise<StripeSyncSummary> {
  const [row]: { pending: number; retrying: number; synced: number; failed: number; oldest_pending_at: Date | null }[] =
    await dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'synced')::int AS synced,
              count(*) FILTER (WHERE status = 'failed')::int AS failed,
              min(occurred_at) FILTER (WHERE status = 'pending') AS oldest_pending_at,
              -- From the small attempts table: a row goes once its command has an outcome.
              (SELECT count(*)::int FROM stripe_sync_attempts a JOIN stripe_sync p USING (command_event_id)
                WHERE p.status = 'pending' AND a.next_attempt_at > now() - ${STALE_RETRY_AFTER}) AS retrying
         FROM stripe_sync`,
    );
  return {
    pending: row?.pending ?? 0,
    retrying: row?.retrying ?? 0,
    synced: row?.synced ?? 0,
    failed: row?.failed ?? 0,
    oldestPendingAt: row?.oldest_pending_at ? new Date(row.oldest_pending_at).toISOString() : null,
  };
}

/** Platform commands and their Stripe outcome, newest first, by status and/or customer. */
export async function listStripeSync(
  dataSource: DataSource,
  filter: StripeSyncFilter,
  page: Page,
): Promise<Paged<StripeSyncView>> {
  if (filter.customerId !== undefined && !isUuid(filter.customerId)) {
    return { data: [], limit: page.limit, offset: page.offset, hasMore: false };
  }
  return paged(
    page,
    (limit, offset): Promise<Record<string, unknown>[]> =>
      dataSource.query(
        `SELECT ${SELECTED}
           FROM stripe_sync s ${retryJoin('s', 'a')}
          WHERE ($1::text IS NULL OR s.status = $1::text OR ($1::text = 'retrying' AND a.attempt IS NOT NULL))
            AND ($2::uuid IS NULL OR s.customer_id = $2::uuid)
          ORDER BY s.occurred_at DESC NULLS LAST, s.event_position DESC NULLS LAST, s.command_event_id
          LIMIT $3 OFFSET $4`,
        [filter.status ?? null, filter.customerId ?? null, limit, offset],
      ),
    stripeSyncView,
  );
}
