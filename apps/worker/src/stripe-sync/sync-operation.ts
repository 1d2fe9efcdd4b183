import type Stripe from 'stripe';
import type { RecordedEvent } from '@ledgerline/event-store';

/** The outcome event a command event gets: `...LinkedToStripe`, `StripeSyncCompleted` or `StripeSyncFailed`. */
export interface Outcome {
  type: string;
  data: Record<string, unknown>;
}

/** What an operation may use: the command event, Stripe calls with derived idempotency keys, the aggregates. */
export interface SyncContext {
  readonly event: RecordedEvent;
  readonly stripe: Stripe;
  /**
   * One Stripe call, retried as Stripe says it may be (`withStripeRetries`, decision 0020). `step`
   * names the call within the command, so its idempotency key `ledgerline-<event id>-<step>` is the
   * same on every attempt and every replay.
   */
  call<T>(operation: string, step: string, run: (options: Stripe.RequestOptions) => Promise<T>): Promise<T>;
  /** The Stripe customers of a platform customer, as its stream (or the read model) knows them. */
  customerStripeIds(customerId: string): Promise<string[]>;
  /** The Stripe subscription of a platform subscription, or null when it has none yet. */
  subscriptionStripeId(subscriptionId: string): Promise<string | null>;
  /** The card Stripe would charge for these customers. */
  cardOnFile(stripeCustomerIds: string[]): Promise<string | null>;
}

export type SyncOperation = (context: SyncContext) => Promise<Outcome>;

/** Fails the command's sync with a reason of our own (no Stripe call was possible). */
export class CannotSync extends Error {
  constructor(
    readonly operation: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'CannotSync';
  }
}

export function completed(context: SyncContext, stripeIds: Record<string, string>, customerId: string | null): Outcome {
  return {
    type: 'StripeSyncCompleted',
    data: { commandEventId: context.event.id, commandEventType: context.event.type, customerId, stripeIds },
  };
}
