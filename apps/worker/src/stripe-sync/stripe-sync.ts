import type Stripe from 'stripe';
import {
  type CustomerRecords,
  type ReadModelLookups,
  stripeSubscriptionIdOf,
  subscriptionEvolver,
  fold,
} from '@ledgerline/commands';
import { type EventStore, type RecordedEvent, uuidV5 } from '@ledgerline/event-store';
import { currentSchemaVersion, STRIPE_SYNC_ACTOR, type StripeSyncFailed, subscriptionStream } from '@ledgerline/events';
import type { StripeRetry } from '@ledgerline/stripe';
import { CUSTOMER_OPERATIONS } from './customer-operations';
import { REFUND_OPERATIONS } from './refund-operations';
import type { RetryRecorder } from './retry-recorder';
import { callStripe, retryReasonInWords, type RetryPolicy, StripeCallFailed } from './stripe-call';
import { SUBSCRIPTION_OPERATIONS } from './subscription-operations';
import { CannotSync, type Outcome, type SyncContext, type SyncOperation } from './sync-operation';

const OUTCOME_NAMESPACE = '9a3e51c4-2d7b-4f08-b6a1-5c8e0f2d7b93';

const OPERATIONS: Record<string, SyncOperation> = {
  ...CUSTOMER_OPERATIONS,
  ...SUBSCRIPTION_OPERATIONS,
  ...REFUND_OPERATIONS,
};

export interface StripeSyncOptions {
  maxAttempts: number;
  retryBaseMs: number;
  signal?: AbortSignal;
  log?: (message: string) => void;
  /** Each retry of a Stripe call (also logged): which command, which call, the attempt, the wait, the reason. */
  onRetry?: (retry: StripeSyncRetry) => void;
  /** Where the retries are recorded for the API (stripe_sync_attempts). */
  retries?: RetryRecorder;
}

export interface StripeSyncRetry extends StripeRetry {
  commandEventId: string;
  operation: string;
}

/**
 * Carries one platform event out on Stripe and records the outcome on the event's own stream.
 * Exactly once in effect: every Stripe call carries an idempotency key derived from the event id,
 * and the outcome event's id is derived from it too, so an event handled again after a crash (at
 * any point) makes Stripe replay its first answers and appends nothing new.
 */
export class StripeSync {
  constructor(
    private readonly store: EventStore,
    private readonly stripe: Stripe,
    private readonly customers: CustomerRecords,
    private readonly lookups: ReadModelLookups,
    private readonly options: StripeSyncOptions,
  ) {}

  static handles(event: RecordedEvent): boolean {
    return event.metadata.source === 'platform' && event.type in OPERATIONS;
  }

  async carryOut(event: RecordedEvent): Promise<Outcome | null> {
    const operation = OPERATIONS[event.type];
    if (!operation || (await this.hasOutcome(event))) return null;
    let outcome: Outcome;
    try {
      outcome = await operation(this.context(event));
    } catch (error) {
      if (!(error instanceof StripeCallFailed) && !(error instanceof CannotSync)) throw error;
      outcome = failed(event, error);
    }
    await this.store.append(event.stream, [
      {
        id: uuidV5(`${event.id}/outcome`, OUTCOME_NAMESPACE),
        type: outcome.type,
        data: outcome.data,
        metadata: {
          source: 'platform',
          occurredAt: new Date().toISOString(),
          actor: STRIPE_SYNC_ACTOR,
          correlationId: event.metadata.correlationId,
          causationId: event.id,
          schemaVersion: currentSchemaVersion(outcome.type, 'platform'),
        },
      },
    ]);
    this.options.log?.(`${event.type} ${event.id} -> ${outcome.type}`);
    await this.options.retries?.settled(event.id);
    return outcome;
  }

  private async hasOutcome(event: RecordedEvent): Promise<boolean> {
    const later = await this.store.readStream(event.stream, { fromRevision: event.revision + 1n });
    return later.some(
      (candidate) => candidate.metadata.causationId === event.id && candidate.metadata.actor === STRIPE_SYNC_ACTOR,
    );
  }

  private context(event: RecordedEvent): SyncContext {
    const policy = (operation: string): RetryPolicy => ({
      maxAttempts: this.options.maxAttempts,
      baseMs: this.options.retryBaseMs,
      signal: this.options.signal,
      onRetry: (retry, error) => {
        this.options.log?.(
          `${event.type} ${event.id}: ${operation} failed (${retry.reason}), retrying in ${(retry.delayMs / 1000).toFixed(1)} s (attempt ${retry.attempt + 1})`,
        );
        this.options.retries?.retrying(event.id, {
          attempt: retry.attempt + 1,
          reason: retryReasonInWords(retry.reason, error),
          delayMs: retry.delayMs,
        });
        this.options.onRetry?.({ ...retry, commandEventId: event.id, operation });
      },
    });
    return {
      event,
      stripe: this.stripe,
      call: (operationName, step, run) => {
        // One key for every attempt of this call (and every replay of the event): Stripe acts once.
        const idempotencyKey = `ledgerline-${event.id}-${step}`;
        return callStripe(operationName, policy(operationName), () => run({ idempotencyKey }));
      },
      customerStripeIds: async (customerId) => (await this.customers.load(customerId)).state.stripeCustomerIds,
      subscriptionStripeId: async (subscriptionId) => {
        const events = await this.store.readStream(subscriptionStream(subscriptionId));
        return stripeSubscriptionIdOf(subscriptionId, fold(subscriptionEvolver, events));
      },
      cardOnFile: (ids) => this.lookups.cardOnFile(ids),
    };
  }
}

function failed(event: RecordedEvent, error: StripeCallFailed | CannotSync): Outcome {
  const data: StripeSyncFailed = {
    commandEventId: event.id,
    commandEventType: event.type,
    customerId:
      typeof (event.data as { customerId?: unknown }).customerId === 'string'
        ? (event.data as { customerId: string }).customerId
        : null,
    operation: error.operation,
    reason: error instanceof StripeCallFailed ? error.reason : error.message,
    stripeErrorType: error instanceof StripeCallFailed ? error.stripeErrorType : null,
    stripeErrorCode: error instanceof StripeCallFailed ? error.stripeErrorCode : null,
    statusCode: error instanceof StripeCallFailed ? error.statusCode : null,
    attempts: error instanceof StripeCallFailed ? error.attempts : 0,
  };
  return { type: 'StripeSyncFailed', data: { ...data } };
}
