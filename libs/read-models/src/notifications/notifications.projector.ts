import type { RecordedEvent } from '@ledgerline/event-store';
import { filterOf, type LedgerlineEventType, normaliseStripeObject } from '@ledgerline/events';
import type { Projector, ProjectionTransaction } from '@ledgerline/projections';
import { customerStripeIdOf, platformCustomerId, refId, stripeObjectOf } from '../shared/stripe-refs';
import {
  NOTIFICATION_DELIVERED,
  NOTIFICATION_DELIVERY_FAILED,
  type NotificationDeliveredData,
  type NotificationDeliveryFailedData,
  notificationId,
  type NotificationKind,
} from './notification-events';
import { subjectOf } from './notification-subjects';

/** The Stripe event types that owe a customer a notification, and which one. */
const KIND_BY_EVENT_TYPE: Partial<Record<LedgerlineEventType, NotificationKind>> = {
  'customer.created': 'customer_created',
  'customer.subscription.created': 'subscription_created',
  'invoice.created': 'invoice_created',
  'charge.succeeded': 'charge_succeeded',
  'invoice.payment_failed': 'payment_failed',
  'charge.failed': 'payment_failed',
  'customer.subscription.trial_will_end': 'trial_will_end',
  'customer.source.expiring': 'card_expiring',
  'customer.subscription.deleted': 'subscription_cancelled',
};

/**
 * One row per notification the platform owes a customer, created once per Stripe event and kind
 * (a deterministic id, INSERT ... ON CONFLICT DO NOTHING), so redelivered and replayed events add
 * nothing. Delivery outcomes arrive as the dispatcher's own events; every time applied comes from
 * event data, so a rebuild ends with the very same rows, statuses included.
 */
export class NotificationsProjector implements Projector {
  readonly name = 'notifications';
  readonly version = 1;
  readonly tables = ['notifications'];
  /**
   * Not replay-safe over a range: its rows drive delivery. A row recreated from a range whose
   * delivery outcome lies after the range would be pending again, and the dispatcher would send it
   * twice. A rebuild replays the outcomes too.
   */
  readonly replaySafe = false;
  /** The types of KIND_BY_EVENT_TYPE, and the dispatcher's delivery outcomes. */
  readonly handles = [
    'customer.created',
    'customer.subscription.created',
    'customer.subscription.trial_will_end',
    'customer.subscription.deleted',
    'customer.source.expiring',
    'invoice.created',
    'invoice.payment_failed',
    'charge.succeeded',
    'charge.failed',
    'NotificationDelivered',
    'NotificationDeliveryFailed',
  ] as const satisfies readonly LedgerlineEventType[];
  readonly filter = filterOf(this.handles);

  async apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    const table = tx.table('notifications');
    if (event.type === NOTIFICATION_DELIVERED) {
      const data = event.data as NotificationDeliveredData;
      // `attempts < attempt`: an outcome is applied once and never overrides a later one.
      await tx.query(
        `UPDATE ${table} SET status = 'sent', attempts = $2, sent_at = $3, next_attempt_at = NULL, last_error = NULL
          WHERE id = $1 AND attempts < $2`,
        [data.notificationId, data.attempt, data.deliveredAt],
      );
      return;
    }
    if (event.type === NOTIFICATION_DELIVERY_FAILED) {
      const data = event.data as NotificationDeliveryFailedData;
      await tx.query(
        `UPDATE ${table} SET status = CASE WHEN $4::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
                attempts = $2, last_error = $3, next_attempt_at = $4
          WHERE id = $1 AND attempts < $2 AND status = 'pending'`,
        [data.notificationId, data.attempt, data.error, data.nextAttemptAt],
      );
      return;
    }
    const row = notificationOf(event);
    if (row) await insertNotifications([{ row, event }], tx);
  }

  /**
   * New notifications in one INSERT per run of Stripe events; a delivery outcome (rare, and it must
   * follow its notification's creation) flushes the run first and is applied on its own.
   */
  async applyBatch(events: RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
    let pending: { row: NewNotification; event: RecordedEvent }[] = [];
    for (const event of events) {
      if (event.type === NOTIFICATION_DELIVERED || event.type === NOTIFICATION_DELIVERY_FAILED) {
        await insertNotifications(pending, tx);
        pending = [];
        await this.apply(event, tx);
        continue;
      }
      const row = notificationOf(event);
      if (row) pending.push({ row, event });
    }
    await insertNotifications(pending, tx);
  }
}

async function insertNotifications(
  rows: { row: NewNotification; event: RecordedEvent }[],
  tx: ProjectionTransaction,
): Promise<void> {
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO ${tx.table('notifications')} (id, kind, customer_stripe_id, customer_id, account, stripe_event_id,
                           store_event_id, event_position, occurred_at, subject)
     SELECT id, kind, customer_stripe_id, customer_id, account, stripe_event_id, store_event_id, event_position,
            occurred_at, subject
       FROM json_to_recordset($1::json) AS x(id uuid, kind text, customer_stripe_id text, customer_id uuid,
            account text, stripe_event_id text, store_event_id uuid, event_position bigint, occurred_at timestamptz,
            subject json)
     ON CONFLICT (id) DO NOTHING`,
    [
      JSON.stringify(
        rows.map(({ row, event }) => ({
          id: row.id,
          kind: row.kind,
          customer_stripe_id: row.customerStripeId,
          customer_id: row.customerId,
          account: row.account,
          stripe_event_id: row.stripeEventId,
          store_event_id: event.id,
          event_position: event.position.toString(),
          occurred_at: row.occurredAt,
          subject: row.subject,
        })),
      ),
    ],
  );
}

interface NewNotification {
  id: string;
  kind: NotificationKind;
  customerStripeId: string;
  customerId: string;
  account: string | null;
  stripeEventId: string;
  occurredAt: string;
  subject: Record<string, unknown>;
}

/**
 * The notification a Stripe event owes, if any. Only live Stripe events count (a backfill imports
 * past state, which owes nobody a message today), and only those naming a customer to tell.
 */
function notificationOf(event: RecordedEvent): NewNotification | null {
  const kind = KIND_BY_EVENT_TYPE[event.type as LedgerlineEventType];
  const found = stripeObjectOf(event);
  if (!kind || !found || event.metadata.source !== 'stripe') return null;
  const { payload } = found;
  const object = normaliseStripeObject(found.object);
  // A failed charge that pays an invoice is told once, by invoice.payment_failed.
  if (event.type === 'charge.failed' && refId(object.invoice) !== null) return null;
  const customerStripeId = customerStripeIdOf(object);
  const stripeEventId = payload.id ?? event.metadata.stripeEventId;
  if (!customerStripeId || !stripeEventId) return null;
  const account = payload.account ?? event.metadata.stripeAccount ?? null;
  const metadata = object.object === 'customer' ? object.metadata : undefined;
  return {
    id: notificationId(stripeEventId, kind),
    kind,
    customerStripeId,
    customerId: platformCustomerId(customerStripeId, account, metadata),
    account,
    stripeEventId,
    occurredAt: occurredAt(payload.created, event),
    subject: subjectOf(kind, object),
  };
}

/** Stripe's `created`; the envelope's times only for an event without one. Never the clock. */
function occurredAt(created: unknown, event: RecordedEvent): string {
  if (typeof created === 'number' && Number.isFinite(created)) return new Date(created * 1000).toISOString();
  return event.metadata.occurredAt ?? event.metadata.recordedAt;
}
