import { StripeSnapshotProjector } from '../shared/stripe-snapshot-projector';
import { subscriptionObservationsTable } from './subscription-observations.table';
import { subscriptionSchedulesTable, subscriptionsTable } from './subscriptions.table';

/** Subscriptions, their schedules, and one observation per subscription event (history, access). */
export function subscriptionsProjector(): StripeSnapshotProjector {
  return new StripeSnapshotProjector({
    name: 'subscriptions',
    version: 1,
    eventTypePrefixes: ['customer.subscription.', 'subscription_schedule.'],
    snapshots: [subscriptionsTable, subscriptionSchedulesTable],
    eventRows: [subscriptionObservationsTable],
  });
}
