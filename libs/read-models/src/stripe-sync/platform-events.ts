import { isUuid, type RecordedEvent } from '@ledgerline/event-store';
import { SYNCED_COMMAND_EVENT_TYPES, STRIPE_SYNC_RESULT_TYPES } from '@ledgerline/events';
import { obj, str, type Json } from '../shared/stripe-values';

/**
 * Readers of platform events (libs/events/src/platform) shared by the read models that take them:
 * stripe_sync, and the activity feed.
 */

const COMMAND_TYPES = new Set<string>(SYNCED_COMMAND_EVENT_TYPES);
const OUTCOME_TYPES = new Set<string>(STRIPE_SYNC_RESULT_TYPES);

/** A platform command the Stripe process manager carries out (one outcome event answers it). */
export function isSyncedCommand(type: string): boolean {
  return COMMAND_TYPES.has(type);
}

/** An outcome of the Stripe process manager: a `...LinkedToStripe`, `StripeSyncCompleted` or `StripeSyncFailed`. */
export function isSyncOutcome(type: string): boolean {
  return OUTCOME_TYPES.has(type);
}

/**
 * The Stripe ids an outcome event reports, by kind (`{ customer: 'cus_1' }`); null for
 * `StripeSyncFailed` and any other type. Linked events name theirs in their own fields,
 * `StripeSyncCompleted` in `stripeIds`.
 */
export function stripeIdsOfOutcome(type: string, data: Json): Record<string, string> | null {
  const pick = (entries: [string, unknown][]): Record<string, string> => {
    const ids: Record<string, string> = {};
    for (const [kind, value] of entries) {
      const id = str(value);
      if (id) ids[kind] = id;
    }
    return ids;
  };
  switch (type) {
    case 'CustomerLinkedToStripe':
      return pick([['customer', data.stripeCustomerId]]);
    case 'SubscriptionLinkedToStripe':
      return pick([['subscription', data.stripeSubscriptionId]]);
    case 'RefundLinkedToStripe':
      return pick([['refund', data.stripeRefundId]]);
    case 'RenewalChargeLinkedToStripe':
      return pick([
        ['paymentIntent', data.stripePaymentIntentId],
        ['balanceTransaction', data.stripeBalanceTransactionId],
      ]);
    case 'StripeSyncCompleted':
      return pick(Object.entries(obj(data.stripeIds) ?? {}));
    default:
      return null;
  }
}

/** The command event an outcome answers: `data.commandEventId`, else `metadata.causationId`; null when not a uuid. */
export function commandEventIdOf(event: RecordedEvent): string | null {
  return uuidOrNull(obj(event.data)?.commandEventId) ?? uuidOrNull(event.metadata.causationId);
}

/** Who a platform event names as its actor (an API key name, or `system:...` for outcomes). */
export function actorOf(event: RecordedEvent): string | null {
  return str(event.metadata.actor);
}

/** The event's `occurredAt` when it is a time, else when the store recorded it. */
export function occurredAtOf(event: RecordedEvent): string {
  const occurred = str(event.metadata.occurredAt);
  const ms = occurred ? Date.parse(occurred) : NaN;
  return Number.isNaN(ms) ? event.metadata.recordedAt : new Date(ms).toISOString();
}

/** A platform id for a uuid column, or null: a malformed id must not fail the batch. */
export function uuidOrNull(value: unknown): string | null {
  return isUuid(value) ? value.toLowerCase() : null;
}
