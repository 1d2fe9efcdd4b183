import type { DataSource } from 'typeorm';
import { type CustomerRef, type Page, type Paged, paged } from '../shared/paging';
import type { NotificationKind, NotificationStatus } from './notification-events';

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  occurredAt: string;
  stripeEventId: string;
  subject: Record<string, unknown>;
  /**
   * Why a pending notification no attempt was made for waits, when the api knows (no
   * NOTIFICATION_WEBHOOK_URL: nothing sends it); null otherwise.
   */
  waitingBecause: string | null;
}

interface NotificationRow {
  id: string;
  kind: NotificationKind;
  status: NotificationStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  sent_at: Date | null;
  occurred_at: Date;
  stripe_event_id: string;
  subject: Record<string, unknown>;
}

/**
 * A customer's notifications, newest first. Rows made from a Stripe customer's own events carry the
 * platform id its metadata names; rows made from its subscriptions, invoices or charges carry an id
 * derived from the Stripe id, so both ids are matched.
 */
export async function listCustomerNotifications(
  dataSource: DataSource,
  customer: CustomerRef,
  page: Page,
  /** Why notifications are not being sent at all (no channel configured); null when they are. */
  unsentReason: string | null = null,
): Promise<Paged<NotificationView>> {
  return paged(
    page,
    (limit, offset): Promise<NotificationRow[]> =>
      dataSource.query(
        `SELECT id, kind, status, attempts, last_error, next_attempt_at, sent_at, occurred_at, stripe_event_id, subject
           FROM notifications
          WHERE customer_id = $1 OR customer_stripe_id = ANY($2::text[])
          ORDER BY occurred_at DESC, event_position DESC, id
          LIMIT $3 OFFSET $4`,
        [customer.id, customer.stripeIds, limit, offset],
      ),
    (row) => ({
      id: row.id,
      kind: row.kind,
      status: row.status,
      attempts: row.attempts,
      lastError: row.last_error,
      nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
      sentAt: row.sent_at?.toISOString() ?? null,
      occurredAt: row.occurred_at.toISOString(),
      stripeEventId: row.stripe_event_id,
      subject: row.subject,
      waitingBecause: row.status === 'pending' && row.attempts === 0 ? unsentReason : null,
    }),
  );
}

/** A notification as the dispatcher delivers it. */
export interface DueNotification {
  id: string;
  kind: NotificationKind;
  customerId: string;
  customerStripeId: string;
  storeEventId: string;
  occurredAt: string;
  subject: Record<string, unknown>;
  /** Attempts recorded so far: the next one is `attempts + 1`. */
  attempts: number;
}

/** Pending notifications whose next attempt is due at `now`, oldest first, skipping `exclude`. */
export async function findDueNotifications(
  dataSource: DataSource,
  options: { now: Date; limit: number; exclude: string[] },
): Promise<DueNotification[]> {
  const rows: {
    id: string;
    kind: NotificationKind;
    customer_id: string;
    customer_stripe_id: string;
    store_event_id: string;
    occurred_at: Date;
    subject: Record<string, unknown>;
    attempts: number;
  }[] = await dataSource.query(
    `SELECT id, kind, customer_id, customer_stripe_id, store_event_id, occurred_at, subject, attempts
       FROM notifications
      WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
        AND NOT (id = ANY($2::uuid[]))
      ORDER BY next_attempt_at NULLS FIRST, occurred_at
      LIMIT $3`,
    [options.now, options.exclude, options.limit],
  );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    customerId: row.customer_id,
    customerStripeId: row.customer_stripe_id,
    storeEventId: row.store_event_id,
    occurredAt: row.occurred_at.toISOString(),
    subject: row.subject,
    attempts: row.attempts,
  }));
}

/** Attempts the read model has recorded for each of `ids` (absent ids are not returned). */
export async function notificationAttempts(dataSource: DataSource, ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows: { id: string; attempts: number }[] = await dataSource.query(
    `SELECT id, attempts FROM notifications WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row.attempts]));
}
