import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type ReadAllOptions as ClientReadAllOptions,
  type ReadPosition,
  type ReadStreamOptions as ClientReadStreamOptions,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { isUuid, validateEvents, validateExpectedRevision, validateStreamName } from '../append-validation';
import { InvalidAppendError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventStoreHealth,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store.port';
import { EventStoreDbConsumerGroups } from './eventstoredb-consumer-groups';
import {
  at,
  checkpointStream,
  eventPosition,
  isInternalStream,
  type EventStoreDbAccess,
  isVisibleStream,
  matchesFilter,
  readPositionAfter,
  toEsdbConnectionString,
  toRecordedEvent,
} from './eventstoredb-mapping';
import { EventStoreDbSubscription } from './eventstoredb-subscription';
import { IdempotentAppender } from './idempotent-append';

const MAX_READ = 10_000;
const DEFAULT_READ_ALL = 1_000;
const PAGE = 1_000;
/** $all is read page by page and filtered here (the 6.x client's readAll has no server filter). */
const SCAN_BUDGET = 20_000;
const HEAD_PAGE = 100;
const HEALTH_DEADLINE_MS = 2_000;

/**
 * The EventStoreDB (and KurrentDB) event store. Positions are log positions, revisions the
 * server's own; idempotency by event id is made durable with marker streams (idempotent-append.ts).
 * Needs server 22.6 or later: older servers return no positions on stream reads.
 */
export class EventStoreDbEventStore implements EventStore, EventStoreDbAccess {
  readonly adapter = 'eventstoredb' as const;
  readonly client: EventStoreDBClient;
  readonly consumerGroups: EventStoreDbConsumerGroups;
  private readonly appender = new IdempotentAppender(this);
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private readonly cappedCheckpoints = new Set<string>();

  constructor(connectionString: string) {
    this.client = EventStoreDBClient.connectionString(toEsdbConnectionString(connectionString));
    this.consumerGroups = new EventStoreDbConsumerGroups(this);
  }

  async append(stream: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    validateStreamName(stream);
    if (isInternalStream(stream)) {
      throw new InvalidAppendError(`Stream name "${stream}" belongs to the event store's own bookkeeping`);
    }
    const expected = validateExpectedRevision(options);
    const valid = validateEvents(events);
    return this.appender.append(
      stream,
      expected,
      valid,
      events.some((event) => event.id !== undefined),
    );
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    validateStreamName(stream);
    if (isInternalStream(stream)) return [];
    const backwards = options.direction === 'backwards';
    const resolved = await this.readRaw(stream, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : START),
      // A stream is read whole unless the caller pages: an aggregate's history is never truncated.
      maxCount: options.maxCount === undefined ? undefined : clampCount(options.maxCount),
    });
    return resolved.flatMap(({ event }) => (event ? [toRecordedEvent(event)] : []));
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const backwards = options.direction === 'backwards';
    const limit = clampCount(options.maxCount ?? DEFAULT_READ_ALL);
    const from = options.from;
    const beyond = (position: bigint, bound: bigint): boolean => (backwards ? position < bound : position > bound);
    const events: RecordedEvent[] = [];
    let cursor: ReadPosition = backwards ? (from === undefined ? END : at(from)) : readPositionAfter(from ?? 0n);
    let lastScanned: bigint | null = null;
    for (let scanned = 0; scanned < SCAN_BUDGET;) {
      const pageSize = scanned === 0 ? Math.min(PAGE, limit + 1) : PAGE;
      const page = await this.readAllPage({
        direction: backwards ? BACKWARDS : FORWARDS,
        fromPosition: cursor,
        maxCount: pageSize,
      });
      for (const { event } of page) {
        if (!event) continue;
        const position = eventPosition(event.position);
        // Both bounds are exclusive; a forwards page restarts at (and repeats) its cursor.
        const bound = lastScanned ?? from;
        if (bound !== undefined && !beyond(position, bound)) continue;
        lastScanned = position;
        scanned++;
        if (!isVisibleStream(event.streamId)) continue;
        const recorded = toRecordedEvent(event);
        if (!matchesFilter(recorded, options.filter)) continue;
        events.push(recorded);
        if (events.length === limit) return { events, nextFrom: position };
      }
      if (page.length < pageSize || lastScanned === null) break;
      cursor = at(lastScanned);
    }
    // With a filter the scan may stop early (budget) or run past the last match: nextFrom says where.
    return { events, nextFrom: lastScanned ?? from ?? 0n };
  }

  async readEventById(eventId: string): Promise<RecordedEvent | null> {
    if (!isUuid(eventId)) return null;
    const location = await this.appender.locate(eventId);
    if (!location) return null;
    const [found] = await this.readRaw(location.stream, { fromRevision: location.revision, maxCount: 1 });
    return found?.event && found.event.id.toLowerCase() === eventId.toLowerCase() ? toRecordedEvent(found.event) : null;
  }

  headPosition(): Promise<bigint> {
    return this.findHead();
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    if (typeof options?.handler !== 'function') throw new RangeError('subscribeToAll needs a handler');
    if (
      options.checkpointId !== undefined &&
      (typeof options.checkpointId !== 'string' || !options.checkpointId.trim())
    ) {
      throw new RangeError('checkpointId must be a non-empty string');
    }
    const subscription = new EventStoreDbSubscription(this, options, () => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  async readCheckpoint(checkpointId: string): Promise<bigint | null> {
    const [latest] = await this.readRaw(checkpointStream(checkpointId), {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    const data = latest?.event?.data as { position?: unknown } | undefined;
    return typeof data?.position === 'string' ? BigInt(data.position) : null;
  }

  async storeCheckpoint(checkpointId: string, position: bigint): Promise<void> {
    const stream = checkpointStream(checkpointId);
    if (!this.cappedCheckpoints.has(stream)) {
      // Only the latest checkpoint matters; the server may scavenge the rest.
      await this.client.setStreamMetadata(stream, { maxCount: 1 });
      this.cappedCheckpoints.add(stream);
    }
    await this.client.appendToStream(
      stream,
      jsonEvent({ type: 'CheckpointStored', data: { position: position.toString() } }),
    );
  }

  async health(): Promise<EventStoreHealth> {
    try {
      return { adapter: this.adapter, status: 'up', headPosition: await this.findHead(HEALTH_DEADLINE_MS) };
    } catch (error) {
      return { adapter: this.adapter, status: 'down', error: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.consumerGroups.close();
    await this.client.dispose();
  }

  async readRaw(stream: string, options: ClientReadStreamOptions = {}): Promise<ResolvedEvent[]> {
    try {
      return await collect(this.client.readStream(stream, options));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  readAllPage(options: ClientReadAllOptions): Promise<AllStreamResolvedEvent[]> {
    return collect(this.client.readAll(options));
  }

  async positionBefore(position: bigint): Promise<bigint | null> {
    const [before] = await this.readAllPage({ direction: BACKWARDS, fromPosition: at(position), maxCount: 1 });
    return before?.event ? eventPosition(before.event.position) : null;
  }

  /** Newest event a caller may see: the very last ones are usually markers or system events. */
  private async findHead(deadline?: number): Promise<bigint> {
    let cursor: ReadPosition = END;
    for (;;) {
      const page = await this.readAllPage({
        direction: BACKWARDS,
        fromPosition: cursor,
        maxCount: HEAD_PAGE,
        deadline,
      });
      let oldest: bigint | null = null;
      for (const { event } of page) {
        if (!event) continue;
        if (isVisibleStream(event.streamId)) return eventPosition(event.position);
        oldest = eventPosition(event.position);
      }
      if (page.length < HEAD_PAGE || oldest === null) return 0n;
      cursor = at(oldest);
    }
  }
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

function clampCount(maxCount: number): number {
  if (!Number.isInteger(maxCount) || maxCount < 1) throw new RangeError(`maxCount must be a positive integer`);
  return Math.min(maxCount, MAX_READ);
}
