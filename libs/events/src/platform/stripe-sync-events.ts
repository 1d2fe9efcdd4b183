/** The process manager's durable checkpoint id in the event store (read by /admin/stripe-sync). */
export const STRIPE_SYNC_CHECKPOINT = 'stripe-sync';

/** The actor of every outcome event. */
export const STRIPE_SYNC_ACTOR = 'system:stripe-sync';

/**
 * Outcome events of the Stripe outbound process manager, appended to the stream of the command
 * event they answer, with `causationId` = that event's id.
 */

/** A change that created nothing new in Stripe (an update, a cancellation, a deletion) was carried out. */
export interface StripeSyncCompleted {
  commandEventId: string;
  customerId: string | null;
  commandEventType: string;
  /** The Stripe objects the calls touched or created, by kind (`customer`, `balanceTransaction`, ...). */
  stripeIds: Record<string, string>;
}

export interface StripeSyncFailed {
  commandEventId: string;
  customerId: string | null;
  commandEventType: string;
  /** The Stripe call that failed, e.g. `POST /v1/customers`. */
  operation: string;
  reason: string;
  /** Stripe's error type and code when Stripe answered, and the HTTP status. */
  stripeErrorType: string | null;
  stripeErrorCode: string | null;
  statusCode: number | null;
  attempts: number;
}

/** Renewal with charge upon renewal: the card was charged and the balance credited. */
export interface RenewalChargeLinkedToStripe {
  subscriptionId: string;
  customerId: string | null;
  commandEventId: string;
  stripePaymentIntentId: string;
  stripeBalanceTransactionId: string;
}

export const STRIPE_SYNC_RESULT_TYPES = [
  'CustomerLinkedToStripe',
  'SubscriptionLinkedToStripe',
  'RefundLinkedToStripe',
  'RenewalChargeLinkedToStripe',
  'StripeSyncCompleted',
  'StripeSyncFailed',
] as const;

/** The platform events the process manager carries out on Stripe (each gets one result event above). */
export const SYNCED_COMMAND_EVENT_TYPES = [
  'CustomerRegistered',
  'CustomerDetailsChanged',
  'CustomerDeleted',
  'SubscriptionStarted',
  'SubscriptionAddressChanged',
  'SubscriptionShipmentsRemainingChanged',
  'SubscriptionCancellationRequested',
  'SubscriptionPlanChanged',
  'SubscriptionRenewalPrepaid',
  'RefundRequested',
] as const;
