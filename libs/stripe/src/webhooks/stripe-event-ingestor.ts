import { type EventStore, IdempotencyConflictError, type RawJson } from '@ledgerline/event-store';
import { toStoreEvent } from './stripe-event-envelope';
import { eventIdForStripeEvent, routeStripeEvent } from './stripe-event-routing';
import type { StripeEventPayload } from './webhook-verifier';

export interface IngestedStripeEvent {
  eventId: string;
  stream: string;
  revision: bigint;
  position: bigint;
  duplicate: boolean;
}

/**
 * Stores a verified Stripe event exactly once. Resolves only after the append has committed, so
 * the webhook's 2xx means "durably stored".
 */
export async function ingestStripeEvent(
  store: EventStore,
  event: StripeEventPayload,
  raw?: RawJson,
): Promise<IngestedStripeEvent> {
  const route = routeStripeEvent(event);
  try {
    const result = await store.append(route.stream, [toStoreEvent(event, raw)], { expectedRevision: 'any' });
    const stored = result.events[0]!;
    return {
      eventId: stored.id,
      stream: route.stream,
      revision: stored.revision,
      position: stored.position,
      duplicate: result.duplicate,
    };
  } catch (error) {
    // The same Stripe event id resent with a different object (seen in the wild): it is still the
    // same event, already stored elsewhere. Answering an error would make Stripe retry for days.
    if (!(error instanceof IdempotencyConflictError)) throw error;
    const stored = await store.readEventById(eventIdForStripeEvent(event.id));
    if (!stored) throw error;
    return {
      eventId: stored.id,
      stream: stored.stream,
      revision: stored.revision,
      position: stored.position,
      duplicate: true,
    };
  }
}
