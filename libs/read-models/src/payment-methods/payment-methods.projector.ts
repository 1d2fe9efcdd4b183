import { StripeSnapshotProjector } from '../shared/stripe-snapshot-projector';
import { paymentMethodsTable } from './payment-methods.table';

/** Payment methods and card sources per customer. */
export function paymentMethodsProjector(): StripeSnapshotProjector {
  return new StripeSnapshotProjector({
    name: 'payment_methods',
    version: 1,
    handles: [
      'payment_method.attached',
      'payment_method.automatically_updated',
      'payment_method.detached',
      'payment_method.updated',
      'payment_method.backfilled',
      'customer.source.created',
      'customer.source.updated',
      'customer.source.deleted',
      'customer.source.expiring',
    ],
    snapshots: [paymentMethodsTable],
  });
}
