import { StripeSnapshotProjector } from '../shared/stripe-snapshot-projector';
import { customersTable } from './customers.table';

/** The customer record (customers table), from Stripe customer events and the platform's customer events. */
export function customersProjector(): StripeSnapshotProjector {
  return new StripeSnapshotProjector({
    name: 'customers',
    version: 3,
    handles: [
      'customer.created',
      'customer.updated',
      'customer.deleted',
      'customer.backfilled',
      'CustomerRegistered',
      'CustomerDetailsChanged',
      'CustomerDeleted',
      'CustomerLinkedToStripe',
    ],
    snapshots: [customersTable],
  });
}
