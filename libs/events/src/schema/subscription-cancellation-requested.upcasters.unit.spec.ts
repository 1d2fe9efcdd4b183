import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@ledgerline/event-store';
import type { SubscriptionCancellationRequested } from '../platform/subscription-events';
import type { SubscriptionCancellationRequestedV1 } from './subscription-cancellation-requested.upcasters';
import { upcastEvent } from './upcast-event';

const ISSUED = '2026-03-01T10:00:00.000Z';
const RECORDED = '2026-03-01T10:00:01.000Z';

function stored(data: object, schemaVersion?: number, occurredAt: string | null = ISSUED): RecordedEvent {
  return {
    id: 'f0000000-0000-4000-8000-000000000001',
    type: 'SubscriptionCancellationRequested',
    stream: 'subscription-sub_1',
    revision: 3n,
    position: 42n,
    data,
    metadata: {
      source: 'platform',
      ...(occurredAt ? { occurredAt } : {}),
      actor: 'support:alice',
      ...(schemaVersion === undefined ? {} : { schemaVersion }),
      recordedAt: RECORDED,
    },
  };
}

const v1 = (when: 'now' | 'period_end'): SubscriptionCancellationRequestedV1 => ({
  subscriptionId: 'sub_1',
  customerId: 'c0ffee00-0000-4000-8000-000000000001',
  when,
  reason: 'moving abroad',
});

describe('SubscriptionCancellationRequested v1 → v2 (effectiveAt)', () => {
  it('given a stored v1 cancellation now, when read, then it took effect when the command was issued', () => {
    const read = upcastEvent(stored(v1('now'), 1));
    expect(read.data).toEqual({ ...v1('now'), effectiveAt: ISSUED });
    expect(read.metadata).toMatchObject({ schemaVersion: 2, storedSchemaVersion: 1 });
  });

  it('given a v1 cancellation now whose writer left out occurredAt, when read, then the recorded time', () => {
    expect(upcastEvent(stored(v1('now'), 1, null)).data).toMatchObject({ effectiveAt: RECORDED });
  });

  it('given a stored v1 cancellation at period end, when read, then its period end is null: v1 never recorded it', () => {
    expect(upcastEvent(stored(v1('period_end'), 1)).data).toEqual({ ...v1('period_end'), effectiveAt: null });
  });

  it('given a v1 cancellation stored without a schema version, when read, then it is upcast as version 1', () => {
    const read = upcastEvent(stored(v1('now')));
    expect(read.data).toEqual({ ...v1('now'), effectiveAt: ISSUED });
    expect(read.metadata).toEqual({ ...stored(v1('now')).metadata, schemaVersion: 2, storedSchemaVersion: 1 });
  });

  it('given a stored v2 cancellation, when read, then it is returned as stored', () => {
    const data: SubscriptionCancellationRequested = { ...v1('period_end'), effectiveAt: '2026-04-01T00:00:00.000Z' };
    const event = stored(data, 2);
    expect(upcastEvent(event)).toBe(event);
  });

  it('leaves the stored event untouched (upcasting is pure)', () => {
    const event = stored(v1('now'), 1);
    const copy = structuredClone(event);
    upcastEvent(event);
    expect(event).toEqual(copy);
  });
});
