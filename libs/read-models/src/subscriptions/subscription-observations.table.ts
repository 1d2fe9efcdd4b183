import { subscriptionProductIds } from '@ledgerline/events';
import type { EventRowsTable } from '../shared/event-rows-table';
import { refId } from '../shared/stripe-refs';
import { bool, obj, str, time } from '../shared/stripe-values';

/**
 * What each subscription event showed: status, products, cancellation. One row per event, so any
 * arrival order gives the same rows; the status history and product access are read from them in
 * event time order (subscriptions.query.ts, access.query.ts).
 */
export const subscriptionObservationsTable: EventRowsTable = {
  table: 'subscription_observations',
  key: ['subscription_id', 'stripe_event_id'],
  columns: [
    { name: 'subscription_id', type: 'text' },
    { name: 'stripe_event_id', type: 'text' },
    { name: 'store_event_id', type: 'uuid' },
    { name: 'event_type', type: 'text' },
    { name: 'event_created', type: 'bigint' },
    { name: 'event_position', type: 'bigint' },
    { name: 'customer_stripe_id', type: 'text' },
    { name: 'status', type: 'text' },
    { name: 'previous_status', type: 'text' },
    { name: 'product_ids', type: 'text[]' },
    { name: 'cancel_at_period_end', type: 'boolean' },
    { name: 'current_period_end', type: 'timestamptz' },
  ],
  rowsOf(subscription, { event, payload }) {
    if (subscription.object !== 'subscription' || typeof subscription.id !== 'string') return [];
    const previous = obj(payload.data?.previous_attributes);
    return [
      {
        subscription_id: subscription.id,
        stripe_event_id: payload.id ?? event.id,
        store_event_id: event.id,
        event_type: event.type,
        event_created: typeof payload.created === 'number' ? payload.created : 0,
        event_position: event.position.toString(),
        customer_stripe_id: refId(subscription.customer),
        status: str(subscription.status),
        previous_status: str(previous?.status),
        product_ids: subscriptionProductIds(subscription),
        cancel_at_period_end: bool(subscription.cancel_at_period_end),
        current_period_end: time(subscription.current_period_end),
      },
    ];
  },
};
