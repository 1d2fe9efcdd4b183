import type { RecordedEvent } from '@ledgerline/event-store';
import { activityOf } from '../activity/activity-rows';
import { stripeObjectOf } from '../shared/stripe-refs';
import { obj, str } from '../shared/stripe-values';

/**
 * One line saying what an event did, in support's words: the activity feed's summaries where it
 * has them (the same code), else the event type and the object it is about.
 */
export function describeEvent(event: RecordedEvent): string {
  const summaries = activityOf(event).entries.map((entry) => entry.summary);
  if (summaries.length) return summaries.join('; ');
  const stripe = stripeObjectOf(event);
  if (stripe) {
    const changed = Object.keys(obj(stripe.payload.data?.previous_attributes) ?? {});
    const id = str(stripe.object.id);
    return `${sentence(event.type.replace(/[._]/g, ' '))}${id ? `: ${id}` : ''}${changed.length ? ` (changed: ${changed.join(', ')})` : ''}`;
  }
  if (event.metadata.source === 'stripe' || event.metadata.source === 'backfill')
    return sentence(event.type.replace(/[._]/g, ' '));
  return sentence(event.type.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase());
}

function sentence(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Who caused an event, as far as the event itself says. */
export interface EventActor {
  /** An API key's name or `system:...` for platform events; for Stripe events see `causedBy`. */
  actor: string;
  /**
   * For a Stripe event that echoes a call Ledgerline made: the platform event behind the call (its
   * idempotency key is `ledgerline-<event id>-<step>`, docs/stripe-sync.md).
   */
  causedBy: string | null;
}

const LEDGERLINE_KEY = /^ledgerline-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-/i;

/**
 * Platform events carry their actor. Stripe events carry `request`: an idempotency key of ours
 * means Ledgerline's sync made the change; a request id without one means someone called Stripe's
 * API or used the Dashboard; no request means Stripe did it on its own (renewals, retries).
 */
export function actorOfEvent(event: RecordedEvent): EventActor {
  const source = event.metadata.source;
  if (source !== 'stripe' && source !== 'backfill') {
    return { actor: str(event.metadata.actor) ?? `${source}:unknown`, causedBy: null };
  }
  const request = (event.data as { request?: unknown }).request;
  const requestId = typeof request === 'string' ? request : str(obj(request)?.id);
  const key = str(obj(request)?.idempotency_key);
  const ours = key ? LEDGERLINE_KEY.exec(key) : null;
  if (ours) return { actor: 'stripe-sync', causedBy: ours[1]!.toLowerCase() };
  return { actor: requestId ? 'stripe:api' : 'stripe:automatic', causedBy: null };
}
