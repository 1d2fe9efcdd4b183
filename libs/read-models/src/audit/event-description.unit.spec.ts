import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@ledgerline/event-store';
import { actorOfEvent, describeEvent } from './event-description';

const COMMAND = '5b0c4c1e-2f43-4a57-9d55-0b3a8f1c2d3e';

function stripe(type: string, object: Record<string, unknown>, request: unknown, previous?: object): RecordedEvent {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    type,
    stream: `stripe_${String(object.object)}-${String(object.id)}`,
    revision: 0n,
    position: 1n,
    data: { id: 'evt_1', type, created: 1_760_000_000, request, data: { object, previous_attributes: previous } },
    metadata: { source: 'stripe', recordedAt: '2026-11-21T10:00:00.000Z' },
  };
}

describe('who did it (actorOfEvent)', () => {
  it('Given a Stripe event carrying our idempotency key, Then the Stripe sync did it on behalf of that command', () => {
    const event = stripe(
      'customer.updated',
      { id: 'cus_1', object: 'customer' },
      { id: 'req_1', idempotency_key: `ledgerline-${COMMAND}-update` },
    );
    expect(actorOfEvent(event)).toEqual({ actor: 'stripe-sync', causedBy: COMMAND });
  });

  it('Given a request without our key, Then someone called Stripe (API or Dashboard); Given none, Then Stripe itself', () => {
    expect(
      actorOfEvent(
        stripe('customer.updated', { id: 'cus_1', object: 'customer' }, { id: 'req_1', idempotency_key: 'abc' }),
      ).actor,
    ).toBe('stripe:api');
    expect(actorOfEvent(stripe('customer.updated', { id: 'cus_1', object: 'customer' }, 'req_2')).actor).toBe(
      'stripe:api',
    );
    expect(
      actorOfEvent(stripe('invoice.created', { id: 'in_1', object: 'invoice' }, { id: null, idempotency_key: null }))
        .actor,
    ).toBe('stripe:automatic');
  });

  it('Given a platform event, Then its actor', () => {
    const event: RecordedEvent = {
      ...stripe('x', { id: 'cus_1', object: 'customer' }, null),
      type: 'CustomerLinkedToStripe',
      data: { customerId: COMMAND, stripeCustomerId: 'cus_1' },
      metadata: { source: 'platform', actor: 'system:stripe-sync', recordedAt: '2026-11-21T10:00:00.000Z' },
    };
    expect(actorOfEvent(event)).toEqual({ actor: 'system:stripe-sync', causedBy: null });
  });
});

describe('what it did (describeEvent)', () => {
  it('uses the activity feed wording where it has one', () => {
    expect(describeEvent(stripe('customer.created', { id: 'cus_1', object: 'customer' }, null))).toBe(
      'Customer created',
    );
  });

  it('else names the type, the object and what changed', () => {
    expect(
      describeEvent(stripe('invoice.finalized', { id: 'in_1', object: 'invoice' }, null, { status: 'draft' })),
    ).toBe('Invoice finalized: in_1 (changed: status)');
  });
});
