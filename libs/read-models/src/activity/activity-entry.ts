import type { Json } from './format';

export type ActivityKind =
  | 'customer_created'
  | 'customer_updated'
  | 'card_expiring'
  | 'product_purchased'
  | 'subscription_started'
  | 'trial_started'
  | 'subscription_renewed'
  | 'plan_changed'
  | 'cancellation_scheduled'
  | 'cancellation_withdrawn'
  | 'subscription_status_changed'
  | 'subscription_cancelled'
  | 'trial_ending'
  | 'invoice_created'
  | 'invoice_paid'
  | 'payment_failed'
  | 'refund_issued'
  | 'dispute_opened'
  | 'dispute_closed'
  // Platform commands (support staff) and the Stripe process manager's outcomes: platform-entries.ts.
  | 'customer_registered'
  | 'customer_details_changed'
  | 'customer_deleted'
  | 'subscription_start_requested'
  | 'shipping_address_changed'
  | 'shipments_remaining_changed'
  | 'cancellation_requested'
  | 'plan_change_requested'
  | 'renewal_prepaid'
  | 'refund_requested'
  | 'stripe_sync_failed'
  | 'stripe_synced';

/** What one event says, before the event's identity, customer and time are attached. */
export interface EntryDraft {
  kind: ActivityKind;
  summary: string;
  /** Structured facts behind the summary (amounts in minor units, ids, from/to); never card numbers or contact data. */
  details: Json;
  /** The charge a refund or dispute is about: disputes carry no customer, so it is found through activity_charges. */
  chargeId?: string | null;
}

export interface MappingInput {
  type: string;
  /** The event's object, normalised (libs/events). */
  object: Json;
  /** The object as it was before the event: the object overlaid with `previous_attributes`, normalised. */
  previous: Json;
  /** The top-level keys of `previous_attributes`: what the event changed (empty when it has none). */
  changed: string[];
}

export type Mapping = (input: MappingInput) => EntryDraft[];
