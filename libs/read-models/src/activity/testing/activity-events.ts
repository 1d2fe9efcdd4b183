import type { RecordedEvent } from '@ledgerline/event-store';
import { uuidV5 } from '@ledgerline/event-store';

/** Namespace for the store ids of test events: the same Stripe event id always gets the same store id, as in the store. */
const TEST_EVENT_NAMESPACE = '6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b';

export interface StripeEventInput {
  id: string;
  type: string;
  created: number;
  object: Record<string, unknown>;
  previous?: Record<string, unknown>;
  account?: string;
}

/** A Stripe Event payload as Stripe sends it. */
export function stripePayload(input: StripeEventInput): Record<string, unknown> {
  return {
    id: input.id,
    object: 'event',
    type: input.type,
    created: input.created,
    ...(input.account ? { account: input.account } : {}),
    data: { object: input.object, ...(input.previous ? { previous_attributes: input.previous } : {}) },
  };
}

/** A stored Stripe event (as the store would hand it to a projector) at the given position. */
export function recordedStripeEvent(payload: Record<string, unknown>, position: number): RecordedEvent {
  const stripeEventId = String(payload.id);
  return {
    id: uuidV5(stripeEventId, TEST_EVENT_NAMESPACE),
    type: String(payload.type),
    stream: `stripe_test-${stripeEventId}`,
    revision: 0n,
    position: BigInt(position),
    data: payload,
    metadata: {
      source: 'stripe',
      stripeEventId,
      stripeAccount: typeof payload.account === 'string' ? payload.account : null,
      recordedAt: new Date(Date.UTC(2026, 0, 1) + position * 1000).toISOString(),
    },
  };
}
