import { describe, expect, it } from '@jest/globals';
import type { EventSource, RecordedEvent } from '@ledgerline/event-store';
import { UnknownSchemaVersionError, upcastEvent } from './upcast-event';

function stored(type: string, source: EventSource, schemaVersion?: unknown, data: object = { a: 1 }): RecordedEvent {
  return {
    id: 'f0000000-0000-4000-8000-000000000002',
    type,
    stream: 'x-1',
    revision: 0n,
    position: 1n,
    data,
    metadata: {
      source,
      ...(schemaVersion === undefined ? {} : { schemaVersion: schemaVersion as number }),
      recordedAt: '2026-03-01T10:00:00.000Z',
    },
  };
}

describe('upcastEvent', () => {
  it('given a platform event at its current version, when read, then the very same event', () => {
    const event = stored('CustomerRegistered', 'platform', 1);
    expect(upcastEvent(event)).toBe(event);
  });

  it('given a platform event without a schema version, when read, then version 1 with its data as stored', () => {
    const event = stored('CustomerRegistered', 'platform');
    const read = upcastEvent(event);
    expect(read.metadata).toEqual({ ...event.metadata, schemaVersion: 1 });
    expect(read.data).toBe(event.data);
  });

  it('given Stripe and backfilled events, when read, then the envelope version (1), data untouched', () => {
    const webhook = stored('invoice.paid', 'stripe', 1);
    expect(upcastEvent(webhook)).toBe(webhook);
    const backfilled = upcastEvent(stored('customer.created', 'backfill'));
    expect(backfilled.metadata.schemaVersion).toBe(1);
    expect(backfilled.data).toEqual({ a: 1 });
  });

  it('given a Stripe event named like a platform event, when read, then the Stripe envelope rules apply', () => {
    const event = stored('SubscriptionCancellationRequested', 'stripe', 1);
    expect(upcastEvent(event)).toBe(event);
  });

  it('given an event of a type this code does not know, when read, then it passes through as stored', () => {
    for (const event of [
      stored('SomethingNew', 'platform', 7),
      stored('Checked', 'system'),
      stored('constructor', 'platform'),
    ]) {
      expect(upcastEvent(event)).toBe(event);
    }
  });

  it('given a version newer than this code knows, when read, then it throws naming the type and versions', () => {
    const read = () => upcastEvent(stored('SubscriptionCancellationRequested', 'platform', 3));
    expect(read).toThrow(UnknownSchemaVersionError);
    expect(read).toThrow(/SubscriptionCancellationRequested\) has schema version 3, .* up to version 2/);
    expect(() => upcastEvent(stored('invoice.paid', 'stripe', 2))).toThrow(/invoice\.paid\) has schema version 2/);
  });

  it('given a schema version that is not a version number, when read, then it throws rather than guess', () => {
    for (const version of [0, -1, 1.5, '1', true]) {
      expect(() => upcastEvent(stored('CustomerRegistered', 'platform', version))).toThrow(/not a version number/);
    }
  });

  it('the error carries what an operator needs', () => {
    try {
      upcastEvent(stored('StripeSyncFailed', 'platform', 9));
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toMatchObject({
        name: 'UnknownSchemaVersionError',
        eventId: 'f0000000-0000-4000-8000-000000000002',
        eventType: 'StripeSyncFailed',
        storedVersion: 9,
        knownVersion: 1,
      });
    }
  });

  it('given a Stripe event stored with text PostgreSQL cannot hold, when read, then that text as U+FFFD, the stored data untouched', () => {
    const data = { id: 'evt_\u0000', data: { object: { name: 'Ada\ud800', metadata: { 'k\u0000': 'v' } } } };
    const event = stored('customer.created', 'stripe', 1, data);
    event.metadata.textRepair = { replaced: 3, places: 3, paths: ['id', 'data.object.name', 'data.object.metadata'] };
    const read = upcastEvent(event);
    expect(read.data).toEqual({
      id: 'evt_\uFFFD',
      data: { object: { name: 'Ada\uFFFD', metadata: { 'k\uFFFD': 'v' } } },
    });
    expect(read.metadata).toEqual(event.metadata);
    expect(data.data.object.name).toBe('Ada\ud800');
    // Without the record the data is not walked at all (the common case costs nothing).
    const unflagged = stored('customer.created', 'stripe', 1, data);
    expect(upcastEvent(unflagged)).toBe(unflagged);
  });
});
