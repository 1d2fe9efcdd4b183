/**
 * What the feed delivers (docs/feeds.md). Positions and revisions are 64-bit integers, sent as
 * decimal strings so nothing loses precision: compare them with BigInt, never as strings or numbers.
 */
export type Position = string;

/** The metadata every event carries; more keys may appear later, so unknown ones are kept. */
export interface FeedEventMetadata {
  source?: 'stripe' | 'backfill' | 'platform' | 'system';
  /** When the store committed the event (ISO 8601). */
  recordedAt?: string;
  /** When the fact happened, where known. */
  occurredAt?: string;
  /** The version of `data`'s shape; absent means 1. */
  schemaVersion?: number;
  actor?: string;
  correlationId?: string;
  causationId?: string;
  stripeEventId?: string;
  stripeAccount?: string | null;
  apiVersion?: string | null;
  livemode?: boolean;
  [key: string]: unknown;
}

export interface FeedEvent<TData = unknown> {
  /** Position in the whole store: strictly increasing, with gaps. */
  position: Position;
  /** Unique per event, and stable across redeliveries: the key for idempotent handlers. */
  eventId: string;
  stream: string;
  /** Position within the stream, from 0, without gaps. */
  revision: string;
  type: string;
  data: TData;
  metadata: FeedEventMetadata;
}

/** An event handed to a consumer-group member. */
export interface Delivery<TData = unknown> {
  event: FeedEvent<TData>;
  /** 1 on the first delivery, 2 on the first redelivery, ... */
  deliveryCount: number;
}

/** Where a feed or a new group starts: the beginning, the head, or after a position. */
export type StartFrom = 'start' | 'end' | Position;

export interface GroupSettings {
  /** Stream categories, as alternatives (`payment`, `stripe_charge`). */
  categories?: string[];
  /** Event type prefixes, as alternatives; with `categories`, an event must match both. */
  types?: string[];
  /** Where the group starts. Default `start`. */
  from?: StartFrom;
  /** An event not acked or nacked within this time goes back to the group. Server default 30 s. */
  ackTimeoutMs?: number;
  /** After this many deliveries without an ack the event is parked. Server default 5. */
  maxDeliveries?: number;
}

export interface GroupInfo {
  name: string;
  filter: { categories?: string[]; eventTypePrefixes?: string[] };
  ackTimeoutMs: number;
  maxDeliveries: number;
  /** Every event at or below this position has been acked or parked. */
  checkpoint: Position;
  outstanding: number;
  parked: number;
}

export interface ParkedDelivery<TData = unknown> extends Delivery<TData> {
  reason: string | null;
  parkedAt: string;
}
