import type { EventFilter, RecordedEvent } from '@ledgerline/event-store';
import { filterOf, type LedgerlineEventType } from '@ledgerline/events';
import type { Projector, ProjectionTransaction } from '@ledgerline/projections';
import { activityOf, type ActivityRow, type ChargeRow } from './activity-rows';

const ACTIVITY_COLUMNS = `stripe_event_id text, kind text, event_type text, customer_stripe_id text, customer_id uuid,
  account text, charge_id text, object_type text, object_id text, summary text, details json,
  occurred_at timestamptz, store_event_id uuid, event_position bigint`;
const ACTIVITY_NAMES = ACTIVITY_COLUMNS.split(',')
  .map((column) => column.trim().split(/\s+/)[0])
  .join(', ');

/**
 * The activity feed: what happened to each customer, one or more entries per Stripe event and per
 * platform command (and Stripe sync outcome), in words support staff understand
 * (docs/activity-feed.md). Entries are keyed by (Stripe event id, or a platform event's store id;
 * kind) and derived from their event alone, so the projector only ever inserts, and any arrival
 * order, replay or redelivery ends with the same rows.
 */
export class ActivityProjector implements Projector {
  readonly name = 'activity';
  readonly version = 2;
  readonly tables = ['activity', 'activity_charges'];
  /** Insert-only, keyed by the event: a replay only adds entries that are missing. */
  readonly replaySafe = true;
  /**
   * The types with an entry mapping (activity-rows.ts), and every charge event: a charge says
   * which customer a later dispute belongs to (activity_charges).
   */
  readonly handles = [
    'customer.created',
    'customer.updated',
    'customer.source.expiring',
    'customer.subscription.created',
    'customer.subscription.updated',
    'customer.subscription.deleted',
    'customer.subscription.trial_will_end',
    'invoice.created',
    'invoice.paid',
    'invoice.payment_succeeded',
    'invoice.payment_failed',
    'checkout.session.completed',
    'checkout.session.async_payment_succeeded',
    'charge.captured',
    'charge.expired',
    'charge.failed',
    'charge.pending',
    'charge.refunded',
    'charge.succeeded',
    'charge.updated',
    'charge.backfilled',
    'charge.dispute.created',
    'charge.dispute.updated',
    'charge.dispute.closed',
    'charge.dispute.funds_reinstated',
    'charge.dispute.funds_withdrawn',
    'charge.dispute.backfilled',
    'charge.refund.updated',
    'CustomerRegistered',
    'CustomerDetailsChanged',
    'CustomerDeleted',
    'CustomerLinkedToStripe',
    'SubscriptionStarted',
    'SubscriptionAddressChanged',
    'SubscriptionShipmentsRemainingChanged',
    'SubscriptionCancellationRequested',
    'SubscriptionPlanChanged',
    'SubscriptionRenewalPrepaid',
    'SubscriptionLinkedToStripe',
    'RenewalChargeLinkedToStripe',
    'RefundRequested',
    'RefundLinkedToStripe',
    'StripeSyncCompleted',
    'StripeSyncFailed',
  ] as const satisfies readonly LedgerlineEventType[];
  readonly filter: EventFilter = filterOf(this.handles);

  async apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    await this.applyBatch([event], tx);
  }

  /** At most two statements per batch, whatever its size: one per table, rows as one JSON parameter. */
  async applyBatch(events: RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
    const entries: ActivityRow[] = [];
    const charges = new Map<string, ChargeRow>();
    for (const event of events) {
      const activity = activityOf(event);
      entries.push(...activity.entries);
      // The first link wins, as ON CONFLICT DO NOTHING does across batches (a charge's customer never changes).
      if (activity.charge && !charges.has(activity.charge.charge_id)) {
        charges.set(activity.charge.charge_id, activity.charge);
      }
    }
    if (entries.length) {
      await tx.query(
        `INSERT INTO ${tx.table('activity')} (${ACTIVITY_NAMES})
         SELECT ${ACTIVITY_NAMES} FROM json_to_recordset($1::json) AS x(${ACTIVITY_COLUMNS})
         ON CONFLICT (stripe_event_id, kind) DO NOTHING`,
        [JSON.stringify(entries)],
      );
    }
    if (charges.size) {
      await tx.query(
        `INSERT INTO ${tx.table('activity_charges')} (charge_id, customer_stripe_id)
         SELECT charge_id, customer_stripe_id FROM json_to_recordset($1::json) AS x(charge_id text, customer_stripe_id text)
         ON CONFLICT (charge_id) DO NOTHING`,
        [JSON.stringify([...charges.values()])],
      );
    }
  }
}
