/**
 * The event store port. Both adapters (PostgreSQL, EventStoreDB) implement it and must pass the
 * shared contract suite in ./testing/event-store.contract.ts.
 *
 * Positions and revisions are bigints: EventStoreDB's commit positions are 64-bit log offsets,
 * and a store that outlives its first billion events should not have to change types.
 */

export type EventSource = 'stripe' | 'platform' | 'backfill' | 'system';

/** Metadata every stored event carries. `recordedAt` is set by the store, never by the caller. */
export interface EventMetadata {
  source: EventSource;
  /** When the fact happened in the world (Stripe's `created`, or the command's time). ISO 8601. */
  occurredAt?: string;
  correlationId?: string;
  causationId?: string;
  /** Who issued the command (API key name) for platform events. */
  actor?: string;
  schemaVersion?: number;
  stripeEventId?: string;
  stripeAccount?: string | null;
  apiVersion?: string | null;
  livemode?: boolean;
  [key: string]: unknown;
}

export interface RecordedEventMetadata extends EventMetadata {
  recordedAt: string;
}

/**
 * An event to append. Without an `id` the store generates a random UUID (no idempotency). `data` is
 * plain JSON data, or a RawJson to store JSON text exactly as received.
 */
export interface NewEvent<TData = unknown> {
  id?: string;
  type: string;
  data: TData;
  metadata: EventMetadata;
}

export interface RecordedEvent<TData = unknown> {
  id: string;
  type: string;
  stream: string;
  revision: bigint;
  position: bigint;
  data: TData;
  metadata: RecordedEventMetadata;
}

/**
 * - `any`: append whatever the stream's state;
 * - `no_stream`: the stream must not exist yet;
 * - `stream_exists`: the stream must already have at least one event;
 * - a bigint: the revision of the stream's last event (revisions start at 0).
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendedEvent {
  id: string;
  revision: bigint;
  position: bigint;
}

export interface AppendResult {
  stream: string;
  /** True when every event id of this append was already stored: nothing was written. */
  duplicate: boolean;
  /** The stored events, in order: the new ones, or for a duplicate the ones stored earlier. */
  events: AppendedEvent[];
  /** The stream's revision after the append (for a duplicate: the revision of its last event). */
  nextExpectedRevision: bigint;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Forwards defaults to the first revision, backwards to the last. */
  fromRevision?: bigint;
  maxCount?: number;
}

/**
 * Selects events by stream category (the part of the stream name before the first `-`), by exact
 * event type and/or by event type prefix. Within each list the entries are alternatives; every
 * list given must match. Consumers declare exact types (`eventTypes`, decision 0021); prefixes
 * are for people narrowing a feed or a tail.
 */
export interface EventFilter {
  categories?: string[];
  eventTypes?: string[];
  eventTypePrefixes?: string[];
}

export interface ReadAllOptions {
  direction?: 'forwards' | 'backwards';
  /**
   * Exclusive bound. Forwards: events after this position (default: from the start, 0n).
   * Backwards: events before this position (default: from the end).
   */
  from?: bigint;
  maxCount?: number;
  filter?: EventFilter;
}

export interface ReadAllResult {
  events: RecordedEvent[];
  /**
   * Where the next forwards read should continue from. With a filter this can be past the last
   * returned event: the events in between were scanned and did not match.
   */
  nextFrom: bigint;
  /**
   * The head as this read saw it, when the adapter knows it (PostgreSQL, forwards): a filtered read
   * that returned a short batch with `nextFrom` below it stopped early and has more to scan.
   */
  headPosition?: bigint;
}

export interface SubscribeToAllOptions {
  /** Exclusive start position; `'end'` means only events appended from now on. Default: start. */
  from?: bigint | 'start' | 'end';
  filter?: EventFilter;
  /**
   * With a checkpoint id the subscription stores its position durably after each handled batch
   * and, when started again with the same id, resumes from the stored position (ignoring `from`).
   */
  checkpointId?: string;
  /** Most events handed to the handler at once. */
  batchSize?: number;
  /** Called with batches in strictly increasing position order; the next batch waits for it. */
  handler: (events: RecordedEvent[]) => Promise<void>;
}

export interface Subscription {
  /** Position of the last event handled (or scanned past, with a filter). */
  readonly position: bigint;
  /** Resolves once the subscription has handled everything that existed when it started. */
  readonly caughtUp: Promise<void>;
  /** Resolves when the subscription stops; rejects with the handler's or the store's error. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export interface ConsumerGroupSettings {
  filter?: EventFilter;
  /** Exclusive start position for the group. Default: start. */
  from?: bigint | 'start' | 'end';
  /** An event handed to a member and neither acked nor nacked within this time is redelivered. */
  ackTimeoutMs?: number;
  /** After this many deliveries without an ack the event is parked. */
  maxDeliveries?: number;
}

export interface ConsumerGroupInfo {
  name: string;
  filter: EventFilter;
  ackTimeoutMs: number;
  maxDeliveries: number;
  /** Every event at or below this position has been acked or parked. */
  checkpoint: bigint;
  outstanding: number;
  parked: number;
}

export interface GroupDelivery {
  event: RecordedEvent;
  /** 1 on the first delivery, 2 on the first redelivery, ... */
  deliveryCount: number;
}

export interface ParkedEvent {
  event: RecordedEvent;
  deliveryCount: number;
  reason: string | null;
  parkedAt: string;
}

export interface ConsumerGroupMember {
  readonly group: string;
  readonly memberId: string;
  /**
   * Up to `max` events for this member, waiting up to `waitMs` for the first one. Once `signal` is
   * aborted it stops waiting and leases nothing more (its caller went away): it resolves to [].
   */
  receive(max: number, waitMs?: number, options?: { signal?: AbortSignal }): Promise<GroupDelivery[]>;
  /** Acknowledge handled events. Throws NotOutstandingError for an id this member does not hold. */
  ack(eventIds: string[]): Promise<void>;
  /** Give an event back: retried later, or parked at once with `park: true`. */
  nack(eventId: string, options?: { park?: boolean; reason?: string }): Promise<void>;
  close(): Promise<void>;
}

export interface ConsumerGroups {
  create(name: string, settings?: ConsumerGroupSettings): Promise<void>;
  get(name: string): Promise<ConsumerGroupInfo>;
  list(): Promise<ConsumerGroupInfo[]>;
  delete(name: string): Promise<void>;
  join(name: string, memberId: string): Promise<ConsumerGroupMember>;
  listParked(name: string): Promise<ParkedEvent[]>;
  /** Puts parked events (all, or the given ids) back in line for delivery. */
  replayParked(name: string, eventIds?: string[]): Promise<number>;
}

export interface EventStoreHealth {
  adapter: 'postgres' | 'eventstoredb';
  status: 'up' | 'down';
  headPosition?: bigint;
  error?: string;
}

export interface EventStore {
  readonly adapter: 'postgres' | 'eventstoredb';
  append(stream: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  /** Finds a stored event by its id (for idempotency look-ups and audit links). */
  readEventById(eventId: string): Promise<RecordedEvent | null>;
  /** Position of the newest event, 0n for an empty store. */
  headPosition(): Promise<bigint>;
  subscribeToAll(options: SubscribeToAllOptions): Subscription;
  readCheckpoint(checkpointId: string): Promise<bigint | null>;
  readonly consumerGroups: ConsumerGroups;
  health(): Promise<EventStoreHealth>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol.for('ledgerline.EventStore');
