import type { RecordedEvent } from '@ledgerline/event-store';
import { normaliseStripeObject } from '@ledgerline/events';
import { customerStripeIdOf, platformCustomerId, stripeObjectOf, stripeOccurredAt } from '../shared/stripe-refs';
import type { ActivityKind, Mapping } from './activity-entry';
import { CUSTOMER_MAPPINGS } from './customer-entries';
import { obj, str, type Json } from '../shared/stripe-values';
import { INVOICE_MAPPINGS } from './invoice-entries';
import { chargeLinkOf, PAYMENT_MAPPINGS } from './payment-entries';
import { actorOf, occurredAtOf, uuidOrNull } from '../stripe-sync/platform-events';
import { PLATFORM_MAPPINGS } from './platform-entries';
import { SUBSCRIPTION_MAPPINGS } from './subscription-entries';

const MAPPINGS: Record<string, Mapping> = {
  ...CUSTOMER_MAPPINGS,
  ...SUBSCRIPTION_MAPPINGS,
  ...INVOICE_MAPPINGS,
  ...PAYMENT_MAPPINGS,
};

/** The event types with an entry mapping: each must be among the projector's declared types. */
export const MAPPED_EVENT_TYPES: readonly string[] = [...Object.keys(MAPPINGS), ...Object.keys(PLATFORM_MAPPINGS)];

/** A row of the `activity` table (column names), as sent to json_to_recordset. */
export interface ActivityRow {
  /** The Stripe event id; for platform events, the store event id. */
  stripe_event_id: string;
  kind: ActivityKind;
  event_type: string;
  customer_stripe_id: string | null;
  customer_id: string | null;
  account: string | null;
  charge_id: string | null;
  object_type: string;
  object_id: string | null;
  summary: string;
  details: Json;
  occurred_at: string;
  store_event_id: string;
  event_position: string;
}

export interface ChargeRow {
  charge_id: string;
  customer_stripe_id: string;
}

/**
 * Everything one event contributes, computed from that event alone: no held state is read, so
 * replays, redeliveries and any arrival order give the same rows.
 */
export function activityOf(event: RecordedEvent): { entries: ActivityRow[]; charge: ChargeRow | null } {
  // Platform commands and the process manager's outcomes (`platform`, or `system` for system actors).
  const source = event.metadata.source;
  if (source !== 'stripe' && source !== 'backfill') return { entries: platformEntriesOf(event), charge: null };
  const stripe = stripeObjectOf(event);
  if (!stripe) return { entries: [], charge: null };
  const { payload } = stripe;
  const type = str(payload.type) ?? event.type;
  const object = normaliseStripeObject(stripe.object);
  const previousAttributes = obj(payload.data?.previous_attributes) ?? {};
  const previous = normaliseStripeObject(overlay(stripe.object, previousAttributes));
  const drafts = MAPPINGS[type]?.({ type, object, previous, changed: Object.keys(previousAttributes) }) ?? [];

  const account = str(payload.account) ?? str(event.metadata.stripeAccount);
  const customerStripeId = customerStripeIdOf(object);
  const customerId = customerStripeId
    ? platformCustomerId(customerStripeId, account, object.object === 'customer' ? object.metadata : undefined)
    : null;
  const link = chargeLinkOf(object);
  const entries = drafts.map((draft): ActivityRow => ({
    stripe_event_id: str(payload.id) ?? str(event.metadata.stripeEventId) ?? event.id,
    kind: draft.kind,
    event_type: type,
    customer_stripe_id: customerStripeId,
    customer_id: customerId,
    account,
    charge_id: draft.chargeId ?? null,
    object_type: str(object.object) ?? type.slice(0, type.lastIndexOf('.')),
    object_id: str(object.id),
    summary: draft.summary,
    details: draft.details,
    occurred_at: stripeOccurredAt(event, payload),
    store_event_id: event.id,
    event_position: event.position.toString(),
  }));
  return { entries, charge: link && { charge_id: link.chargeId, customer_stripe_id: link.customerStripeId } };
}

/**
 * A platform event's entries: keyed by its store id (it has no Stripe event id), its customer the
 * platform customer its data names, its actor in `details`, its time the command's `occurredAt`.
 */
function platformEntriesOf(event: RecordedEvent): ActivityRow[] {
  const mapping = PLATFORM_MAPPINGS[event.type];
  const data = obj(event.data);
  if (!mapping || !data) return [];
  const actor = actorOf(event);
  return mapping(data, actor ?? 'unknown').map((draft) => ({
    stripe_event_id: event.id,
    kind: draft.kind,
    event_type: event.type,
    customer_stripe_id: draft.customerStripeId ?? null,
    customer_id: uuidOrNull(data.customerId),
    account: null,
    charge_id: draft.chargeId ?? null,
    object_type: draft.objectType,
    object_id: draft.objectId,
    summary: draft.summary,
    details: { actor, ...draft.details },
    occurred_at: occurredAtOf(event),
    store_event_id: event.id,
    event_position: event.position.toString(),
  }));
}

/**
 * The object before the event. `previous_attributes` lists only what changed, and for a hash only
 * its changed keys, so hashes are merged one level deep (a plan whose id changed but whose product
 * did not keeps its product); arrays come whole and replace.
 */
function overlay(object: Json, previousAttributes: Json): Json {
  const previous: Json = { ...object };
  for (const [key, value] of Object.entries(previousAttributes)) {
    const current = obj(object[key]);
    const before = obj(value);
    previous[key] = current && before ? { ...current, ...before } : value;
  }
  return previous;
}
