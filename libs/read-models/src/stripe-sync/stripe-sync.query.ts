import type { DataSource } from 'typeorm';
import { isUuid } from '@ledgerline/event-store';
import { paged, type Page, type Paged } from '../shared/paging';
import { rowView } from '../shared/row-view';
import type { Column } from '../shared/snapshot-table';
import type { StripeSyncStatus } from './stripe-sync.projector';

export interface StripeSyncSummary {
  pending: number;
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
}

export interface StripeSyncFilter {
  status?: StripeSyncStatus;
  /** Platform customer id (uuid): another id matches nothing. */
  customerId?: string;
}

const COLUMNS: Column[] = [
  { name: 'event_position', type: 'bigint' },
  { name: 'attempts', type: 'integer' },
];
const SELECTED = `command_event_id, stream, command_event_type, customer_id, actor, occurred_at, event_position,
  status, stripe_ids, reason, attempts, outcome_event_id, outcome_at`;

/** How many commands are pending, synced and failed, and since when the oldest pending one waits. */
export async function stripeSyncSummary(dataSource: DataSource): Promise<StripeSyncSummary> {
  const [row]: { pending: number; synced: number; failed: number; oldest_pending_at: Date | null }[] =
    await dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'synced')::int AS synced,
              count(*) FILTER (WHERE status = 'failed')::int AS failed,
              min(occurred_at) FILTER (WHERE status = 'pending') AS oldest_pending_at
         FROM stripe_sync`,
    );
  return {
    pending: row?.pending ?? 0,
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
           FROM stripe_sync
          WHERE ($1::text IS NULL OR status = $1::text)
            AND ($2::uuid IS NULL OR customer_id = $2::uuid)
          ORDER BY occurred_at DESC NULLS LAST, event_position DESC NULLS LAST, command_event_id
          LIMIT $3 OFFSET $4`,
        [filter.status ?? null, filter.customerId ?? null, limit, offset],
      ),
    (row) => rowView(row, COLUMNS) as unknown as StripeSyncView,
  );
}
