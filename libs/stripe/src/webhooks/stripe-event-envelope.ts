import type { EventMetadata, NewEvent, RawJson } from '@ledgerline/event-store';
import {
  currentSchemaVersion,
  findUnstorableText,
  mayHoldUnstorableText,
  storableString,
  type TextRepair,
  withStorableText,
} from '@ledgerline/events';
import { eventIdForStripeEvent } from './stripe-event-routing';
import type { StripeEventPayload } from './webhook-verifier';

/**
 * A Stripe Event as a store event: the whole Event object verbatim as data (the raw body when there
 * is one), its type as the event type (unknown types included), and the envelope metadata of docs/design.md.
 *
 * Text PostgreSQL cannot hold (a NUL, a lone surrogate) stays in the data as received, and is
 * recorded in `metadata.textRepair` (how much, where), which has readers read it as U+FFFD
 * (upcastEvent); the envelope's own strings (type, ids in the metadata) are written that way
 * (decision 0018).
 */
export function toStoreEvent(
  event: StripeEventPayload,
  raw?: RawJson,
  source: 'stripe' | 'backfill' = 'stripe',
): NewEvent<StripeEventPayload | RawJson> {
  const request = event.request;
  const text = (value: unknown): string | null => (typeof value === 'string' ? storableString(value) : null);
  const metadata: EventMetadata = {
    source,
    stripeEventId: storableString(event.id),
    stripeAccount: text(event.account),
    apiVersion: text(event.api_version),
    livemode: event.livemode === true,
    // Of the envelope: every Stripe event type shares one schema (libs/events/src/schema).
    schemaVersion: currentSchemaVersion(event.type, source),
    // Older API versions send the request id as a string, newer ones an object.
    stripeRequestId: withStorableText(typeof request === 'string' ? request : (request?.id ?? null)),
    stripeIdempotencyKey: withStorableText(
      typeof request === 'object' && request !== null ? (request.idempotency_key ?? null) : null,
    ),
  };
  if (typeof event.created === 'number' && Number.isFinite(event.created)) {
    metadata.occurredAt = new Date(event.created * 1000).toISOString();
  }
  const repair = textRepairOf(event, raw);
  if (repair) metadata.textRepair = repair;
  return { id: eventIdForStripeEvent(event.id), type: storableString(event.type), data: raw ?? event, metadata };
}

/** What the event holds that PostgreSQL cannot; a body without an escape that could be one is not walked. */
function textRepairOf(event: StripeEventPayload, raw: RawJson | undefined): TextRepair | null {
  if (raw && !mayHoldUnstorableText(raw.text)) return null;
  return findUnstorableText(raw ? raw.value : event);
}
