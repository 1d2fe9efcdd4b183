import { StripeSnapshotProjector } from '../shared/stripe-snapshot-projector';
import { paymentMethodsTable } from './payment-methods.table';

/** Payment methods and card sources per customer. */
export function paymentMethodsProjector(): StripeSnapshotProjector {
  return new StripeSnapshotProjector({
    name: 'payment_methods',
    version: 1,
    eventTypePrefixes: ['payment_method.', 'customer.source.'],
    snapshots: [paymentMethodsTable],
  });
}
