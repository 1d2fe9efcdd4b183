import type Stripe from 'stripe';

type EnabledEvent = Stripe.WebhookEndpointCreateParams.EnabledEvent;

/**
 * The Stripe event types Ledgerline's read models read: every type of the pinned SDK's catalogue
 * that one of the projectors' filters selects (libs/read-models: `eventTypePrefixes`). A webhook
 * endpoint subscribed to these (`ledgerline stripe-endpoint`, `events: 'needed'`) feeds every typed
 * read model, the notifications and the money events reconciliation reads. The `stripe_objects`
 * mirror and the audit index take any event: they see only these types unless the endpoint
 * subscribes to all (`*`).
 *
 * Derived, not chosen: ledgerline-event-types.unit.spec.ts fails when a projector's filter and
 * this list disagree, and `satisfies` checks every entry against the SDK's catalogue.
 */
export const LEDGERLINE_EVENT_TYPES = [
  // payments (charge., payment_intent., refund.), activity (charge.*), reconciliation (charges, disputes, refunds)
  'charge.captured',
  'charge.dispute.closed',
  'charge.dispute.created',
  'charge.dispute.funds_reinstated',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.updated',
  'charge.expired',
  'charge.failed',
  'charge.pending',
  'charge.refund.updated',
  'charge.refunded',
  'charge.succeeded',
  'charge.updated',
  // activity
  'checkout.session.async_payment_succeeded',
  'checkout.session.completed',
  // catalog (product., price., plan., coupon., tax_rate.)
  'coupon.created',
  'coupon.deleted',
  'coupon.updated',
  // invoices (invoice., credit_note.)
  'credit_note.created',
  'credit_note.updated',
  'credit_note.voided',
  // customers (exact types: `customer.` would take subscriptions, sources and discounts too)
  'customer.created',
  'customer.deleted',
  // payment_methods (payment_method., customer.source.)
  'customer.source.created',
  'customer.source.deleted',
  'customer.source.expiring',
  'customer.source.updated',
  // subscriptions (customer.subscription., subscription_schedule.)
  'customer.subscription.created',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.pending_update_applied',
  'customer.subscription.pending_update_expired',
  'customer.subscription.resumed',
  'customer.subscription.trial_will_end',
  'customer.subscription.updated',
  'customer.updated',
  'invoice.created',
  'invoice.deleted',
  'invoice.finalization_failed',
  'invoice.finalized',
  'invoice.marked_uncollectible',
  'invoice.overdue',
  'invoice.overpaid',
  'invoice.paid',
  'invoice.payment_action_required',
  'invoice.payment_attempt_required',
  'invoice.payment_failed',
  'invoice.payment_succeeded',
  'invoice.sent',
  'invoice.upcoming',
  'invoice.updated',
  'invoice.voided',
  'invoice.will_be_due',
  'payment_intent.amount_capturable_updated',
  'payment_intent.canceled',
  'payment_intent.created',
  'payment_intent.partially_funded',
  'payment_intent.payment_failed',
  'payment_intent.processing',
  'payment_intent.requires_action',
  'payment_intent.succeeded',
  'payment_method.attached',
  'payment_method.automatically_updated',
  'payment_method.detached',
  'payment_method.updated',
  'plan.created',
  'plan.deleted',
  'plan.updated',
  'price.created',
  'price.deleted',
  'price.updated',
  'product.created',
  'product.deleted',
  'product.updated',
  'refund.created',
  'refund.failed',
  'refund.updated',
  'subscription_schedule.aborted',
  'subscription_schedule.canceled',
  'subscription_schedule.completed',
  'subscription_schedule.created',
  'subscription_schedule.expiring',
  'subscription_schedule.released',
  'subscription_schedule.updated',
  'tax_rate.created',
  'tax_rate.updated',
] as const satisfies readonly EnabledEvent[];
