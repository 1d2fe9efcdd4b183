import { uuidV5 } from '@ledgerline/event-store';
import { storableString } from '@ledgerline/events';
import type { StripeEventPayload } from './stripe-event-payload';

/** Fixed forever: changing it would make every redelivered Stripe event look new. */
export const STRIPE_EVENT_NAMESPACE = '7d1f6f0e-52b4-4b8c-9a57-6f3c2a1d9e40';

/** The platform's own account in stream names, beside Connect accounts' `acct_...` ids. */
export const PLATFORM_ACCOUNT = 'platform';

/**
 * The store's event id for a Stripe event id: the same Stripe event always maps to the same id. Of
 * the id as stored (`metadata.stripeEventId`, a NUL or lone surrogate read as U+FFFD: decision
 * 0018), so that looking the stored id up finds the event.
 */
export function eventIdForStripeEvent(stripeEventId: string): string {
  return uuidV5(storableString(stripeEventId), STRIPE_EVENT_NAMESPACE);
}

export interface StripeEventRoute {
  stream: string;
  objectType: string;
  objectId: string | null;
  account: string | null;
}

/**
 * Where a Stripe event is stored (docs/events.md):
 * - `stripe_<object type>-<object id>` for the platform account,
 * - `stripe_<object type>-<acct_...>-<object id>` for a Connect account,
 * - `stripe_event_type-<platform | acct_...>-<event type>` when the object has no id
 *   (`balance.available`, `invoice.upcoming`, ...).
 * The category (before the first `-`) is the object type either way, so a projector of customers
 * subscribes to `stripe_customer` across accounts. Ids are named as readers see them: a NUL or a
 * lone surrogate (which no stream name can hold) as U+FFFD (decision 0018).
 */
export function routeStripeEvent(event: StripeEventPayload): StripeEventRoute {
  const object = event.data?.object ?? null;
  const account = typeof event.account === 'string' && event.account !== '' ? storableString(event.account) : null;
  const type = storableString(event.type);
  const objectType = sanitise(
    typeof object?.object === 'string' && object.object !== '' ? object.object : typeFromEventType(type),
  );
  const objectId = typeof object?.id === 'string' && object.id !== '' ? storableString(object.id) : null;
  if (objectId === null) {
    return { stream: `stripe_event_type-${account ?? PLATFORM_ACCOUNT}-${type}`, objectType, objectId, account };
  }
  const stream = account ? `stripe_${objectType}-${account}-${objectId}` : `stripe_${objectType}-${objectId}`;
  return { stream, objectType, objectId, account };
}

/** `customer.source.created` → `customer.source`: the object an event type is about. */
function typeFromEventType(type: string): string {
  const dot = type.lastIndexOf('.');
  return dot > 0 ? type.slice(0, dot) : type;
}

/** Object types like `checkout.session` become `checkout_session`: categories end at the first `-`. */
function sanitise(type: string): string {
  return type.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
