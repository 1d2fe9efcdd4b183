import { StripeSnapshotProjector } from '../shared/stripe-snapshot-projector';
import { subscriptionObservationsTable } from './subscription-observations.table';
import { subscriptionSchedulesTable, subscriptionsTable } from './subscriptions.table';

/**
 * Subscriptions (from Stripe and from the platform's subscription events), their schedules, and one
 * observation per Stripe subscription event (history, access).
 */
export function subscriptionsProjector(): StripeSnapshotProjector {
  return new StripeSnapshotProjector({
    name: 'subscriptions',
    version: 3,
    eventTypePrefixes: ['customer.subscription.', 'subscription_schedule.'],
    snapshots: [subscriptionsTable, subscriptionSchedulesTable],
    eventRows: [subscriptionObservationsTable],
  });
}
