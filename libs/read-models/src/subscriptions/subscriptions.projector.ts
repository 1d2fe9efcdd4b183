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
    handles: [
      'customer.subscription.created',
      'customer.subscription.updated',
      'customer.subscription.deleted',
      'customer.subscription.paused',
      'customer.subscription.resumed',
      'customer.subscription.trial_will_end',
      'customer.subscription.pending_update_applied',
      'customer.subscription.pending_update_expired',
      'customer.subscription.backfilled',
      'subscription_schedule.created',
      'subscription_schedule.updated',
      'subscription_schedule.expiring',
      'subscription_schedule.completed',
      'subscription_schedule.released',
      'subscription_schedule.canceled',
      'subscription_schedule.aborted',
      'SubscriptionStarted',
      'SubscriptionAddressChanged',
      'SubscriptionShipmentsRemainingChanged',
      'SubscriptionCancellationRequested',
      'SubscriptionPlanChanged',
      'SubscriptionLinkedToStripe',
    ],
    snapshots: [subscriptionsTable, subscriptionSchedulesTable],
    eventRows: [subscriptionObservationsTable],
  });
}
