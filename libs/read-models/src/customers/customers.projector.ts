import { StripeSnapshotProjector } from '../shared/stripe-snapshot-projector';
import { customersTable } from './customers.table';

/** The customer record (customers table), from Stripe customer events and the platform's customer events. */
export function customersProjector(): StripeSnapshotProjector {
  return new StripeSnapshotProjector({
    name: 'customers',
    version: 2,
    eventTypePrefixes: ['customer.created', 'customer.updated', 'customer.deleted'],
    snapshots: [customersTable],
  });
}
