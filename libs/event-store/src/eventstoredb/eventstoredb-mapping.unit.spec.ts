import { describe, expect, it } from '@jest/globals';
import { ANY, NO_STREAM, START, STREAM_EXISTS, WrongExpectedVersionError } from '@eventstore/db-client';
import { EventStoreError, WrongExpectedRevisionError } from '../errors';
import {
  VISIBLE_STREAMS_REGEX,
  actualRevisionOf,
  assertExpectedRevision,
  decodeParkReason,
  encodeParkReason,
  eventPosition,
  firstEndpoint,
  groupCheckpoint,
  isEventStoreDbUrl,
  isInternalStream,
  isVisibleStream,
  markerStream,
  matchesFilter,
  readPositionAfter,
  serverFilter,
  toClientExpectedRevision,
  toEsdbConnectionString,
  toRecordedEvent,
  translateAppendError,
  type ClientRecord,
} from './eventstoredb-mapping';

const wrongVersion = (current: bigint | 'no_stream'): WrongExpectedVersionError =>
  new WrongExpectedVersionError(undefined, { streamName: 's-1', expected: 0n, current });

describe('connection strings', () => {
  it.each([
    ['kurrentdb://admin:changeit@localhost:2113?tls=false', 'esdb://admin:changeit@localhost:2113?tls=false'],
    ['kurrentdb+discover://node1:2113,node2:2113', 'esdb+discover://node1:2113,node2:2113'],
    ['KurrentDB://localhost:2113', 'esdb://localhost:2113'],
    ['esdb://localhost:2113?tls=false', 'esdb://localhost:2113?tls=false'],
    ['esdb+discover://cluster.example:2113', 'esdb+discover://cluster.example:2113'],
  ])('rewrites %s for the esdb-only client', (url, expected) => {
    expect(toEsdbConnectionString(url)).toBe(expected);
    expect(isEventStoreDbUrl(url)).toBe(true);
  });

  it('rejects other schemes', () => {
    expect(() => toEsdbConnectionString('postgres://localhost/db')).toThrow(RangeError);
    expect(isEventStoreDbUrl('postgres://localhost/db')).toBe(false);
    expect(isEventStoreDbUrl(undefined)).toBe(false);
  });

  it.each([
    ['esdb://admin:changeit@localhost:2113?tls=false', 'localhost', 2113],
    ['kurrentdb+discover://node1.example:2114,node2.example:2113', 'node1.example', 2114],
    ['esdb://eventstore', 'eventstore', 2113],
    ['esdb://[::1]:2115/?tls=false', '::1', 2115],
  ])('finds the first endpoint of %s', (url, host, port) => {
    expect(firstEndpoint(url)).toEqual({ host, port });
  });
});

describe('expected revisions', () => {
  it('maps the port values onto the client constants', () => {
    expect(toClientExpectedRevision('any')).toBe(ANY);
    expect(toClientExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toClientExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toClientExpectedRevision(7n)).toBe(7n);
  });

  it('reads the actual revision from the client error, a missing stream as null', () => {
    expect(actualRevisionOf(wrongVersion(3n))).toBe(3n);
    expect(actualRevisionOf(wrongVersion('no_stream'))).toBeNull();
    expect(actualRevisionOf(wrongVersion(-1n))).toBeNull();
  });

  it('translates WrongExpectedVersionError and passes other errors through', () => {
    const translated = translateAppendError('orders-1', 5n, wrongVersion(2n));
    expect(translated).toBeInstanceOf(WrongExpectedRevisionError);
    expect(translated).toMatchObject({ stream: 'orders-1', expected: '5', actual: 2n });
    const other = new Error('unavailable');
    expect(translateAppendError('orders-1', 'any', other)).toBe(other);
  });

  it('checks an expectation against the revision we read', () => {
    expect(() => assertExpectedRevision('s-1', 'any', null)).not.toThrow();
    expect(() => assertExpectedRevision('s-1', 'no_stream', null)).not.toThrow();
    expect(() => assertExpectedRevision('s-1', 'stream_exists', 0n)).not.toThrow();
    expect(() => assertExpectedRevision('s-1', 4n, 4n)).not.toThrow();
    expect(() => assertExpectedRevision('s-1', 'no_stream', 0n)).toThrow(WrongExpectedRevisionError);
    expect(() => assertExpectedRevision('s-1', 'stream_exists', null)).toThrow(WrongExpectedRevisionError);
    const wrong = (() => {
      try {
        assertExpectedRevision('s-1', 4n, 6n);
      } catch (error) {
        return error;
      }
    })();
    expect(wrong).toMatchObject({ stream: 's-1', expected: '4', actual: 6n });
  });
});

describe('stream visibility and filters', () => {
  it('hides system streams and the adapter bookkeeping, nothing else', () => {
    for (const hidden of [
      '$all',
      '$$orders-1',
      '$persistentsubscription-$all::g-parked',
      'll_dedupe-abc',
      'll_checkpoint-x',
      'll_group',
    ]) {
      expect(isVisibleStream(hidden)).toBe(false);
    }
    for (const visible of ['stripe_customer-cus_1', 'll_other-1', 'orders', 'a$b-1'])
      expect(isVisibleStream(visible)).toBe(true);
    expect(isInternalStream('ll_group-g1')).toBe(true);
    expect(isInternalStream('ll_groupie-1')).toBe(false);
  });

  it('names marker streams by the lower-cased event id', () => {
    expect(markerStream('ABCDEF00-0000-4000-8000-000000000000')).toBe('ll_dedupe-abcdef00-0000-4000-8000-000000000000');
  });

  it('matches categories and type prefixes like the PostgreSQL adapter', () => {
    const filter = { categories: ['invoice', 'charge'], eventTypePrefixes: ['invoice.', 'charge.'] };
    expect(matchesFilter({ stream: 'invoice-in_1', type: 'invoice.paid' }, filter)).toBe(true);
    expect(matchesFilter({ stream: 'invoice', type: 'charge.refunded' }, filter)).toBe(true);
    expect(matchesFilter({ stream: 'invoices-in_1', type: 'invoice.paid' }, filter)).toBe(false);
    expect(matchesFilter({ stream: 'charge-ch_1', type: 'customer.created' }, filter)).toBe(false);
    expect(matchesFilter({ stream: 'anything', type: 'anything' }, {})).toBe(true);
    expect(matchesFilter({ stream: 'anything', type: 'anything' }, { categories: [] })).toBe(true);
  });

  it('filters categories on the server with an anchored stream-name regex', () => {
    const filter = serverFilter({ categories: ['stripe_invoice', 'a.b'], eventTypePrefixes: ['invoice.'] });
    expect(filter).toMatchObject({ filterOn: 'streamName', checkpointInterval: 1 });
    const regex = new RegExp((filter as { regex: string }).regex);
    expect(regex.test('stripe_invoice-in_1')).toBe(true);
    expect(regex.test('stripe_invoice')).toBe(true);
    expect(regex.test('a.b-1')).toBe(true);
    expect(regex.test('axb-1')).toBe(false);
    expect(regex.test('stripe_invoices-in_1')).toBe(false);
    expect(regex.test('x_stripe_invoice-in_1')).toBe(false);
  });

  it('filters type prefixes on the server when no category is given', () => {
    const checkpointReached = (): void => undefined;
    const filter = serverFilter({ eventTypePrefixes: ['customer.', 'invoice.'] }, checkpointReached);
    expect(filter).toMatchObject({ filterOn: 'eventType', prefixes: ['customer.', 'invoice.'] });
    expect(filter.checkpointReached).toBe(checkpointReached);
  });

  it('matches exact types exactly, and every list given', () => {
    const filter = { categories: ['invoice'], eventTypes: ['invoice.paid'] };
    expect(matchesFilter({ stream: 'invoice-in_1', type: 'invoice.paid' }, filter)).toBe(true);
    expect(matchesFilter({ stream: 'invoice-in_1', type: 'invoice.paid.extra' }, filter)).toBe(false);
    expect(matchesFilter({ stream: 'charge-ch_1', type: 'invoice.paid' }, filter)).toBe(false);
    expect(
      matchesFilter(
        { stream: 'x', type: 'invoice.paid' },
        { eventTypes: ['invoice.paid'], eventTypePrefixes: ['charge.'] },
      ),
    ).toBe(false);
  });

  it('filters exact types on the server with an anchored, escaped event-type regex, before categories', () => {
    const filter = serverFilter({ categories: ['stripe_invoice'], eventTypes: ['invoice.paid', 'CustomerRegistered'] });
    expect(filter).toMatchObject({ filterOn: 'eventType' });
    const regex = new RegExp((filter as { regex: string }).regex);
    expect(regex.test('invoice.paid')).toBe(true);
    expect(regex.test('CustomerRegistered')).toBe(true);
    expect(regex.test('invoiceXpaid')).toBe(false);
    expect(regex.test('invoice.paid.extra')).toBe(false);
    expect(regex.test('x.invoice.paid')).toBe(false);
  });

  it('without a filter still keeps system and bookkeeping streams on the server', () => {
    const filter = serverFilter(undefined);
    expect(filter).toMatchObject({ filterOn: 'streamName', regex: VISIBLE_STREAMS_REGEX });
    const regex = new RegExp(VISIBLE_STREAMS_REGEX);
    for (const hidden of ['$all', '$$ll_checkpoint-x', 'll_dedupe-1', 'll_checkpoint-c', 'll_group-g', 'll_group']) {
      expect(regex.test(hidden)).toBe(false);
    }
    for (const visible of ['orders-1', 'll_groups-1', 'll_other', 'dedupe-1']) expect(regex.test(visible)).toBe(true);
  });
});

describe('positions', () => {
  it('takes the record’s own log position', () => {
    expect(eventPosition({ commit: 10n, prepare: 10n })).toBe(10n);
    expect(eventPosition({ commit: 5n, prepare: 9n })).toBe(9n);
    expect(eventPosition({ commit: 7n, prepare: 0n })).toBe(7n);
  });

  it('refuses events that carry no position (servers before 22.6)', () => {
    expect(() => eventPosition(undefined)).toThrow(EventStoreError);
    const none = 2n ** 64n - 1n;
    expect(() => eventPosition({ commit: none, prepare: none })).toThrow(/22\.6/);
  });

  it('starts reads at the start for 0n and at the position otherwise', () => {
    expect(readPositionAfter(0n)).toBe(START);
    expect(readPositionAfter(4242n)).toEqual({ commit: 4242n, prepare: 4242n });
  });
});

describe('recorded events', () => {
  const record: ClientRecord = {
    streamId: 'stripe_customer-cus_1',
    id: 'ABCDEF00-0000-4000-8000-000000000000',
    revision: 3n,
    type: 'CustomerRegistered',
    created: new Date('2024-05-01T10:00:00.000Z'),
    isJson: true,
    data: { name: 'Ada' },
    metadata: { source: 'stripe', correlationId: 'c-1', recordedAt: 'forged' },
    position: { commit: 900n, prepare: 900n },
  };

  it('maps a JSON event and stamps recordedAt from the server’s created time', () => {
    expect(toRecordedEvent(record)).toEqual({
      id: 'abcdef00-0000-4000-8000-000000000000',
      type: 'CustomerRegistered',
      stream: 'stripe_customer-cus_1',
      revision: 3n,
      position: 900n,
      data: { name: 'Ada' },
      metadata: { source: 'stripe', correlationId: 'c-1', recordedAt: '2024-05-01T10:00:00.000Z' },
    });
  });

  it('keeps binary data as base64 and tolerates metadata that is not an object', () => {
    const binary = { ...record, isJson: false, data: Uint8Array.from([1, 2, 3]), metadata: Uint8Array.from([9]) };
    const mapped = toRecordedEvent(binary);
    expect(mapped.data).toBe('AQID');
    expect(mapped.metadata).toEqual({ recordedAt: '2024-05-01T10:00:00.000Z' });
  });
});

describe('parked reasons', () => {
  it('round-trips our reason and delivery count through the server’s NAK prefix', () => {
    const stored = "Client explicitly NAK'ed message.\n" + encodeParkReason('handler failed again', 2);
    expect(decodeParkReason(stored, 5)).toEqual({ reason: 'handler failed again', deliveryCount: 2 });
    expect(decodeParkReason(encodeParkReason(null, 1), 5)).toEqual({ reason: null, deliveryCount: 1 });
  });

  it('reads the server’s own reasons', () => {
    expect(decodeParkReason('Reached retry count of 4', 5)).toEqual({
      reason: 'Reached retry count of 4',
      deliveryCount: 5,
    });
    expect(decodeParkReason("Client explicitly NAK'ed message.\nbad payload", 3)).toEqual({
      reason: 'bad payload',
      deliveryCount: 3,
    });
    expect(decodeParkReason(undefined, 3)).toEqual({ reason: null, deliveryCount: 3 });
  });
});

describe('group checkpoint', () => {
  const idle = { outstandingMessagesCount: 0, retryBufferCount: 0, readBufferCount: 0, liveBufferCount: 0n };

  it('uses the written checkpoint while work is pending', () => {
    const stats = {
      ...idle,
      outstandingMessagesCount: 2,
      lastCheckpointedEventPosition: { commit: 100n, prepare: 100n },
      lastKnownEventPosition: { commit: 500n, prepare: 500n },
    };
    expect(groupCheckpoint(stats)).toBe(100n);
  });

  it('reports the last known event once nothing is pending, as the server would after its next write', () => {
    const stats = {
      ...idle,
      lastCheckpointedEventPosition: { commit: 100n, prepare: 100n },
      lastKnownEventPosition: { commit: 500n, prepare: 500n },
    };
    expect(groupCheckpoint(stats)).toBe(500n);
    expect(groupCheckpoint({ ...stats, retryBufferCount: 1 })).toBe(100n);
    expect(groupCheckpoint({ ...stats, liveBufferCount: 3n })).toBe(100n);
  });

  it('is 0n for a group that has seen nothing', () => {
    expect(groupCheckpoint(idle)).toBe(0n);
  });
});
