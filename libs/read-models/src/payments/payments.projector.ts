import { StripeSnapshotProjector } from '../shared/stripe-snapshot-projector';
import { chargesTable, disputesTable, paymentIntentsTable, refundsTable } from './payments.tables';

/** Charges, payment intents, refunds and disputes. */
export function paymentsProjector(): StripeSnapshotProjector {
  return new StripeSnapshotProjector({
    name: 'payments',
    version: 1,
    handles: [
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
      'refund.created',
      'refund.updated',
      'refund.failed',
      'refund.backfilled',
      'payment_intent.created',
      'payment_intent.processing',
      'payment_intent.requires_action',
      'payment_intent.amount_capturable_updated',
      'payment_intent.partially_funded',
      'payment_intent.succeeded',
      'payment_intent.payment_failed',
      'payment_intent.canceled',
    ],
    snapshots: [chargesTable, paymentIntentsTable, refundsTable, disputesTable],
  });
}
