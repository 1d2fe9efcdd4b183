import type { EventMetadata, NewEvent, RawJson } from '@ledgerline/event-store';
import { currentSchemaVersion } from '@ledgerline/events';
import { eventIdForStripeEvent } from './stripe-event-routing';
import type { StripeEventPayload } from './webhook-verifier';

/**
 * A Stripe Event as a store event: the whole Event object verbatim as data (the raw body when there
 * is one), its type as the event type (unknown types included), and the envelope metadata of docs/design.md.
 */
export function toStoreEvent(
  event: StripeEventPayload,
  raw?: RawJson,
  source: 'stripe' | 'backfill' = 'stripe',
): NewEvent<StripeEventPayload | RawJson> {
  const request = event.request;
  const metadata: EventMetadata = {
    source,
    stripeEventId: event.id,
    stripeAccount: typeof event.account === 'string' ? event.account : null,
    apiVersion: typeof event.api_version === 'string' ? event.api_version : null,
    livemode: event.livemode === true,
    // Of the envelope: every Stripe event type shares one schema (libs/events/src/schema).
    schemaVersion: currentSchemaVersion(event.type, source),
    // Older API versions send the request id as a string, newer ones an object.
    stripeRequestId: typeof request === 'string' ? request : (request?.id ?? null),
    stripeIdempotencyKey: typeof request === 'object' && request !== null ? (request.idempotency_key ?? null) : null,
  };
  if (typeof event.created === 'number' && Number.isFinite(event.created)) {
    metadata.occurredAt = new Date(event.created * 1000).toISOString();
  }
  return { id: eventIdForStripeEvent(event.id), type: event.type, data: raw ?? event, metadata };
}
