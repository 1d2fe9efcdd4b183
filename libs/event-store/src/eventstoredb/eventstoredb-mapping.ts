import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  WrongExpectedVersionError,
  eventTypeFilter,
  streamNameFilter,
  type AppendExpectedRevision,
  type EventStoreDBClient,
  type Filter,
  type FilterBase,
  type Position,
  type ReadPosition,
  type ReadStreamOptions as ClientReadStreamOptions,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { categoryOf } from '../append-validation';
import { EventStoreError, WrongExpectedRevisionError } from '../errors';
import type { EventFilter, ExpectedRevision, ReadAllOptions, ReadAllResult, RecordedEvent } from '../event-store.port';

/** What the adapter's parts (appender, subscriptions, groups) use of the store. */
export interface EventStoreDbAccess {
  readonly client: EventStoreDBClient;
  /** A stream's events as the client returns them; a missing stream is empty. */
  readRaw(stream: string, options?: ClientReadStreamOptions): Promise<ResolvedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  headPosition(): Promise<bigint>;
  readCheckpoint(checkpointId: string): Promise<bigint | null>;
  storeCheckpoint(checkpointId: string, position: bigint): Promise<void>;
  /** The position of the event just before `position` in $all (of any stream), or null. */
  positionBefore(position: bigint): Promise<bigint | null>;
}

/** Bookkeeping streams of this adapter: never shown to callers, never writable through the port. */
export const DEDUPE_CATEGORY = 'll_dedupe';
export const CHECKPOINT_CATEGORY = 'll_checkpoint';
export const GROUP_CATEGORY = 'll_group';
const INTERNAL_CATEGORIES = [DEDUPE_CATEGORY, CHECKPOINT_CATEGORY, GROUP_CATEGORY];

export const markerStream = (eventId: string): string => `${DEDUPE_CATEGORY}-${eventId.toLowerCase()}`;
export const checkpointStream = (checkpointId: string): string => `${CHECKPOINT_CATEGORY}-${checkpointId}`;
export const groupStream = (group: string): string => `${GROUP_CATEGORY}-${group}`;
export const parkedStream = (group: string): string => `$persistentsubscription-$all::${group}-parked`;

const SCHEME = /^(esdb|kurrentdb|kurrent)(\+discover)?:\/\//i;

/** The 6.x client only knows `esdb://`; KurrentDB's schemes name the same protocol. */
export function toEsdbConnectionString(url: string): string {
  const match = SCHEME.exec(url.trim());
  if (!match)
    throw new RangeError(
      'An EventStoreDB URL starts with esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover://',
    );
  return `esdb${match[2] ? '+discover' : ''}://${url.trim().slice(match[0].length)}`;
}

export function isEventStoreDbUrl(url: string | undefined): boolean {
  return typeof url === 'string' && SCHEME.test(url.trim());
}

/** First host of a connection string (a cluster lists several), for reachability probes. */
export function firstEndpoint(url: string): { host: string; port: number } {
  const rest = toEsdbConnectionString(url).replace(/^[^:]+:\/\//, '');
  const hosts = rest.split(/[/?]/, 1)[0]!;
  const first = hosts.slice(hosts.lastIndexOf('@') + 1).split(',')[0]!;
  const ipv6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(first);
  const [host, port] = ipv6 ? [ipv6[1]!, ipv6[2]] : first.split(':');
  return { host: host || 'localhost', port: port ? Number(port) : 2113 };
}

export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return expected;
}

/** The client reports a missing stream as `no_stream` (older servers: -1). */
export function actualRevisionOf(error: WrongExpectedVersionError): bigint | null {
  const actual = error.actualVersion;
  return typeof actual === 'bigint' && actual >= 0n ? actual : null;
}

export function translateAppendError(stream: string, expected: ExpectedRevision, error: unknown): unknown {
  if (!(error instanceof WrongExpectedVersionError)) return error;
  return new WrongExpectedRevisionError(stream, String(expected), actualRevisionOf(error));
}

export function assertExpectedRevision(stream: string, expected: ExpectedRevision, actual: bigint | null): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === null) ||
    (expected === 'stream_exists' && actual !== null) ||
    (typeof expected === 'bigint' && actual === expected);
  if (!ok) throw new WrongExpectedRevisionError(stream, String(expected), actual);
}

export function isInternalStream(stream: string): boolean {
  return INTERNAL_CATEGORIES.includes(categoryOf(stream));
}

/** System (`$`) streams, metadata streams (`$$`) and our bookkeeping streams stay hidden. */
export function isVisibleStream(stream: string): boolean {
  return !stream.startsWith('$') && !isInternalStream(stream);
}

export { matchesFilter } from '../event-filter';

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const INTERNAL_ALTERNATIVES = INTERNAL_CATEGORIES.map(escapeRegex).join('|');
/** Streams a caller may see: not `$…`, not one of ours. Server-side regexes are .NET regexes. */
export const VISIBLE_STREAMS_REGEX = `^(?!\\$)(?!(?:${INTERNAL_ALTERNATIVES})(?:-|$))`;

/**
 * The server-side part of a filter. It may let through more than the filter does (the server takes
 * one stream or one type filter, not both, and type filters do not hide system streams), so callers
 * always re-check with matchesFilter and isVisibleStream. Exact types go first: a consumer's
 * declared types are the narrowest part of its filter.
 */
export function serverFilter(filter?: EventFilter, checkpointReached?: FilterBase['checkpointReached']): Filter {
  if (filter?.eventTypes?.length) {
    return eventTypeFilter({ regex: exactTypesRegex(filter.eventTypes), checkpointReached });
  }
  if (filter?.categories?.length) {
    const regex = `^(?:${filter.categories.map(escapeRegex).join('|')})(?:-|$)`;
    return streamNameFilter({ regex, checkpointReached });
  }
  if (filter?.eventTypePrefixes?.length) {
    return eventTypeFilter({ prefixes: [...filter.eventTypePrefixes], checkpointReached });
  }
  return streamNameFilter({ regex: VISIBLE_STREAMS_REGEX, checkpointReached });
}

/** Matches exactly one of the types: anchored both ends, every character escaped. */
export function exactTypesRegex(types: readonly string[]): string {
  return `^(?:${types.map(escapeRegex).join('|')})$`;
}

/** Stream reads on servers before 22.6 carry no position; gRPC never returns more than 2^63. */
const NO_POSITION = 2n ** 63n;

/**
 * Our bigint position of an event. Every gRPC append is an implicit transaction, so in $all an
 * event's commit and prepare positions are both its own log position. Stream reads are less
 * certain about the commit part, so the prepare position (always the record's own) decides.
 */
export function eventPosition(position: Position | undefined): bigint {
  const value = position === undefined ? undefined : position.prepare > 0n ? position.prepare : position.commit;
  if (value === undefined || value < 0n || value >= NO_POSITION) {
    throw new EventStoreError(
      'EventStoreDB returned an event without its log position: the adapter needs server 22.6 or later',
    );
  }
  return value;
}

/** Where a read positioned at our bigint starts (the server reads from there inclusively). */
export function at(position: bigint): Position {
  return { commit: position, prepare: position };
}

export function readPositionAfter(position: bigint): ReadPosition {
  return position === 0n ? START : at(position);
}

/** The parts of the client's recorded event this adapter uses (JSON and binary alike). */
export interface ClientRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  created: Date;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

export function toRecordedEvent(record: ClientRecord): RecordedEvent {
  const metadata = isPlainObject(record.metadata) ? record.metadata : {};
  return {
    id: record.id.toLowerCase(),
    type: record.type,
    stream: record.streamId,
    revision: record.revision,
    position: eventPosition(record.position),
    data: record.isJson ? record.data : Buffer.from(record.data as Uint8Array).toString('base64'),
    metadata: { ...metadata, recordedAt: record.created.toISOString() } as RecordedEvent['metadata'],
  };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

const NAK_PREFIX = "Client explicitly NAK'ed message.\n";

/** A nack's reason is all EventStoreDB keeps of it, so the delivery count travels inside. */
export function encodeParkReason(reason: string | null, deliveryCount: number): string {
  return JSON.stringify({ reason, deliveryCount });
}

export function decodeParkReason(
  raw: unknown,
  fallbackDeliveries: number,
): { reason: string | null; deliveryCount: number } {
  if (typeof raw !== 'string') return { reason: null, deliveryCount: fallbackDeliveries };
  const text = raw.startsWith(NAK_PREFIX) ? raw.slice(NAK_PREFIX.length) : raw;
  try {
    const parsed: unknown = JSON.parse(text);
    if (isPlainObject(parsed) && typeof parsed.deliveryCount === 'number') {
      return { reason: typeof parsed.reason === 'string' ? parsed.reason : null, deliveryCount: parsed.deliveryCount };
    }
  } catch {
    // a reason the server wrote itself, not one of ours
  }
  const retries = /^Reached retry count of (\d+)/.exec(text);
  return { reason: text || null, deliveryCount: retries ? Number(retries[1]) + 1 : fallbackDeliveries };
}

export interface GroupStats {
  lastCheckpointedEventPosition?: Position;
  lastKnownEventPosition?: Position;
  outstandingMessagesCount: number;
  retryBufferCount: number;
  readBufferCount: number;
  liveBufferCount: bigint;
}

/**
 * The server writes its checkpoint lazily (every checkPointAfter ms), so a group with nothing in
 * flight or buffered has in fact finished everything it knows of: report that instead.
 */
export function groupCheckpoint(stats: GroupStats): bigint {
  const written = stats.lastCheckpointedEventPosition ? eventPosition(stats.lastCheckpointedEventPosition) : 0n;
  const idle =
    stats.outstandingMessagesCount === 0 &&
    stats.retryBufferCount === 0 &&
    stats.readBufferCount === 0 &&
    stats.liveBufferCount === 0n;
  const known = idle && stats.lastKnownEventPosition ? eventPosition(stats.lastKnownEventPosition) : 0n;
  return known > written ? known : written;
}
