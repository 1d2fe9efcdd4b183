import type { AllStreamResolvedEvent, AllStreamSubscription, Position } from '@eventstore/db-client';
import { EventStoreError } from '../errors';
import type { RecordedEvent, SubscribeToAllOptions } from '../event-store.port';
import { SubscriptionLifecycle } from '../subscription-lifecycle';
import {
  eventPosition,
  isVisibleStream,
  matchesFilter,
  readPositionAfter,
  serverFilter,
  toRecordedEvent,
  type EventStoreDbAccess,
} from './eventstoredb-mapping';

const DEFAULT_BATCH = 500;
/** Filtered subscriptions report scanned-past positions often; storing each would be a write storm. */
const CHECKPOINT_THROTTLE_MS = 1_000;

/**
 * A catch-up subscription on the server's own subscribeToAll. Events are taken in batches of what
 * has already arrived, and the next batch waits for the handler (the client stream is paused
 * meanwhile, so the server is held back by gRPC flow control, not buffered without bound).
 */
export class EventStoreDbSubscription extends SubscriptionLifecycle {
  private startedFrom = 0n;
  private stored: bigint | null = null;
  private source: AllStreamSubscription | null = null;
  private failure: { error: unknown } | null = null;
  private storeChain: Promise<void> = Promise.resolve();
  private lastCheckpointAt = 0;
  private busy = false;
  private caughtUpAfter: number | null = null;

  constructor(
    private readonly store: EventStoreDbAccess,
    private readonly options: SubscribeToAllOptions,
    onStopped: () => void,
  ) {
    super(onStopped);
  }

  protected async run(): Promise<void> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
    this.current = this.startedFrom = await this.startPosition();
    const target = await this.caughtUpTarget();
    if (this.current >= target || this.abort.signal.aborted) this.markCaughtUp();
    if (this.abort.signal.aborted) return;

    const source = this.store.client.subscribeToAll(
      {
        fromPosition: readPositionAfter(this.current),
        filter: serverFilter(this.options.filter, (_subscription, position) => this.onCheckpoint(position)),
      },
      { highWaterMark: batchSize },
    );
    this.source = source;
    const puller = new StreamPuller<AllStreamResolvedEvent>(source, this.abort.signal);
    source.on('caughtUp', () => this.onServerCaughtUp(source, puller));
    try {
      for (;;) {
        const first = await puller.next();
        if (first === null) break;
        this.busy = true;
        await this.handle([first, ...puller.takeAvailable(batchSize - 1)]);
        this.busy = false;
        if ((this.caughtUpAfter !== null && puller.taken >= this.caughtUpAfter) || this.current >= target) {
          this.markCaughtUp();
        }
      }
    } finally {
      this.source = null;
      await source.unsubscribe().catch(() => undefined);
    }
    if (this.failure) throw this.failure.error;
    if (!this.abort.signal.aborted) throw new EventStoreError('EventStoreDB ended the subscription');
    // Positions scanned past without a handled event were only kept in memory so far.
    if (this.options.checkpointId && this.current > (this.stored ?? this.startedFrom)) await this.persist(this.current);
    this.markCaughtUp();
  }

  private async handle(batch: AllStreamResolvedEvent[]): Promise<void> {
    let last = this.current;
    const events: RecordedEvent[] = [];
    for (const { event } of batch) {
      if (!event) continue;
      const position = eventPosition(event.position);
      if (position <= this.current) continue; // the server starts at `from` inclusively
      if (position > last) last = position;
      if (!isVisibleStream(event.streamId)) continue;
      const recorded = toRecordedEvent(event);
      if (matchesFilter(recorded, this.options.filter)) events.push(recorded);
    }
    if (events.length) await this.options.handler(events);
    await this.advance(last, events.length > 0);
  }

  private async advance(position: bigint, persist: boolean): Promise<void> {
    if (position <= this.current) return;
    if (persist && this.options.checkpointId) await this.persist(position);
    this.current = position;
  }

  private persist(position: bigint): Promise<void> {
    const checkpointId = this.options.checkpointId!;
    this.storeChain = this.storeChain.then(async () => {
      await this.store.storeCheckpoint(checkpointId, position);
      this.stored = position;
    });
    return this.storeChain;
  }

  /**
   * The server's checkpoint is the position it will read next, not an event, so we step back to
   * the event just before it: resuming after that event is exact. Only taken while nothing is
   * pending, so it can never move past an event that arrived but is not handled yet.
   */
  private async onCheckpoint(position: Position): Promise<void> {
    try {
      if (this.busy || (this.source?.readableLength ?? 1) > 0 || this.abort.signal.aborted) return;
      if (Date.now() - this.lastCheckpointAt < CHECKPOINT_THROTTLE_MS) return;
      this.lastCheckpointAt = Date.now();
      const before = await this.store.positionBefore(position.commit);
      if (before === null || this.busy || this.abort.signal.aborted) return;
      await this.advance(before, true);
    } catch (error) {
      // The client awaits this callback inside its stream; a rejection there would go unhandled.
      this.failure ??= { error };
      this.abort.abort();
    }
  }

  /**
   * The client emits caughtUp when the message reaches its stream, ahead of events still buffered
   * (possibly from inside a read(), before the item being read left the buffer): it counts once
   * every item before it has been handled.
   */
  private onServerCaughtUp(source: AllStreamSubscription, puller: StreamPuller<AllStreamResolvedEvent>): void {
    if (this.isCaughtUp || this.caughtUpAfter !== null) return;
    this.caughtUpAfter = puller.taken + source.readableLength;
    if (!this.busy && source.readableLength === 0) this.markCaughtUp();
  }

  /**
   * Fallback for servers that never send caughtUp (before 23.10): the newest event this
   * subscription will see. The plain head would do, but with a filter it may never be reached.
   */
  private async caughtUpTarget(): Promise<bigint> {
    const newest = await this.store.readAll({ direction: 'backwards', maxCount: 1, filter: this.options.filter });
    return newest.events[0]?.position ?? (await this.store.headPosition());
  }

  private async startPosition(): Promise<bigint> {
    if (this.options.checkpointId) {
      const stored = await this.store.readCheckpoint(this.options.checkpointId);
      if (stored !== null) return (this.stored = stored);
    }
    const from = this.options.from ?? 'start';
    if (from === 'start') return 0n;
    if (from === 'end') return this.store.headPosition();
    if (typeof from !== 'bigint' || from < 0n) throw new RangeError("from must be 'start', 'end' or a position >= 0n");
    return from;
  }
}

/** The parts of an object-mode Readable that StreamPuller uses. */
export interface PullSource {
  readonly readableLength: number;
  read(): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** Pull-style reading of an object-mode stream, so that the consumer decides the pace. */
export class StreamPuller<T> {
  /** Items read so far. */
  taken = 0;
  private ended = false;
  private failure: { error: unknown } | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly source: PullSource,
    private readonly signal: AbortSignal,
  ) {
    const notify = (): void => {
      const wake = this.wake;
      this.wake = null;
      wake?.();
    };
    source.on('readable', notify);
    source.on('end', () => {
      this.ended = true;
      notify();
    });
    source.on('close', () => {
      this.ended = true;
      notify();
    });
    source.on('error', (error: unknown) => {
      this.failure = { error };
      notify();
    });
    signal.addEventListener('abort', notify, { once: true });
  }

  /** The next item, or null once the stream ended or the signal aborted. */
  async next(): Promise<T | null> {
    for (;;) {
      if (this.signal.aborted) return null;
      if (this.failure) throw this.failure.error;
      const item = this.source.read() as T | null;
      if (item !== null) {
        this.taken++;
        return item;
      }
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Items that have already arrived, without waiting for more. */
  takeAvailable(max: number): T[] {
    const items: T[] = [];
    while (items.length < max && this.source.readableLength > 0) {
      const item = this.source.read() as T | null;
      if (item === null) break;
      this.taken++;
      items.push(item);
    }
    return items;
  }
}
