import type { RecordedEvent } from '@ledgerline/event-store';
import { normaliseStripeObject } from '@ledgerline/events';
import { occurredAtOf, uuidOrNull } from '../stripe-sync/platform-events';
import { customerStripeIdOf, refId, stripeObjectOf, stripeOccurredAt } from '../shared/stripe-refs';
import { obj, str } from '../shared/stripe-values';

/** What the audit index needs of one event. */
export interface AuditFacts {
  /**
   * Whom the event concerns: a platform customer id, a Stripe customer id, or for refunds and
   * disputes (which name no customer) their charge's id. Null when the event names nobody.
   */
  ref: string | null;
  objectId: string | null;
  occurredAt: string;
}

/** Reads an event's customer reference the way the activity feed does, for every event type. */
export function auditFactsOf(event: RecordedEvent): AuditFacts {
  const source = event.metadata.source;
  if (source !== 'stripe' && source !== 'backfill') {
    const data = obj(event.data);
    // A refund request whose payment names no customer is found through its charge, like Stripe's refunds.
    const ref = uuidOrNull(data?.customerId) ?? str(data?.chargeId);
    return { ref, objectId: null, occurredAt: occurredAtOf(event) };
  }
  const stripe = stripeObjectOf(event);
  const occurredAt = stripeOccurredAt(event, stripe?.payload);
  if (!stripe) return { ref: null, objectId: null, occurredAt };
  const object = normaliseStripeObject(stripe.object);
  return { ref: customerStripeIdOf(object) ?? refId(object.charge), objectId: str(object.id), occurredAt };
}
