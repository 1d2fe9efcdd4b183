import { StripeSnapshotProjector } from '../shared/stripe-snapshot-projector';
import { chargesTable, disputesTable, paymentIntentsTable, refundsTable } from './payments.tables';

/** Charges, payment intents, refunds and disputes. */
export function paymentsProjector(): StripeSnapshotProjector {
  return new StripeSnapshotProjector({
    name: 'payments',
    version: 1,
    eventTypePrefixes: ['charge.', 'payment_intent.', 'refund.'],
    snapshots: [chargesTable, paymentIntentsTable, refundsTable, disputesTable],
  });
}
