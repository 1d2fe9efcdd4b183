import {
  NotFoundError,
  PARK,
  PersistentSubscriptionDoesNotExistError,
  RETRY,
  type EventStoreDBClient,
  type PersistentSubscriptionToAll,
  type PersistentSubscriptionToAllResolvedEvent,
} from '@eventstore/db-client';
import { ConsumerGroupNotFoundError, NotOutstandingError } from '../errors';
import type { ConsumerGroupMember, EventFilter, GroupDelivery, RecordedEvent } from '../event-store.port';
import { encodeParkReason, isVisibleStream, matchesFilter, toRecordedEvent } from './eventstoredb-mapping';

export interface MemberSettings {
  filter: EventFilter;
  /** Exclusive start of the group: the server's start position is inclusive. */
  after: bigint | null;
  ackTimeoutMs: number;
  maxDeliveries: number;
}

interface Delivered {
  resolved: PersistentSubscriptionToAllResolvedEvent;
  event: RecordedEvent;
  arrivedAt: number;
}

/** The events of one server batch arrive one message at a time: wait this long for the next. */
const LINGER_GAP_MS = 25;
const MAX_LINGER_MS = 250;

export function isMissingGroup(error: unknown): boolean {
  return error instanceof PersistentSubscriptionDoesNotExistError || error instanceof NotFoundError;
}

/**
 * One member of a group: a persistent-subscription connection whose events wait in a local buffer
 * until `receive` hands them out.
 *
 * The server pushes up to `bufferSize` unacked events to a connection and counts each as in flight
 * from the moment it is sent, whether or not anyone here has taken it. A member that stops asking
 * (a worker that hung, or simply left without closing) would otherwise sit on those events until
 * the ack timeout, over and over, until the server parks them. So the connection is opened by the
 * first `receive`, with that call's `max` as its buffer, and closed again once the member is idle
 * and holds nothing still within its lease: the server then hands the events to other members.
 * Leases end slightly before the server's timeout, so this member never acks an event that the
 * server has already given to someone else.
 */
export class EventStoreDbGroupMember implements ConsumerGroupMember {
  private source: PersistentSubscriptionToAll | null = null;
  private readonly prefetched = new Map<string, Delivered>();
  private readonly held = new Map<string, Delivered>();
  private readonly waiters = new Set<() => void>();
  private receiving = 0;
  private closed = false;
  private failure: { error: unknown } | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private lastActivity = Date.now();
  private readonly leaseMs: number;
  private readonly idleMs: number;

  constructor(
    readonly group: string,
    readonly memberId: string,
    private readonly client: EventStoreDBClient,
    private readonly settings: MemberSettings,
    private readonly onClosed: () => void,
  ) {
    this.leaseMs = settings.ackTimeoutMs - Math.min(100, Math.floor(settings.ackTimeoutMs / 10));
    this.idleMs = Math.min(1_000, Math.max(50, Math.floor(settings.ackTimeoutMs / 2)));
  }

  async receive(max: number, waitMs = 0, options: { signal?: AbortSignal } = {}): Promise<GroupDelivery[]> {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
    if (this.closed || options.signal?.aborted) return [];
    // The caller went away: wake the wait, hand nothing out (prefetched events stay for the next call).
    const wakeOnAbort = () => this.wakeAll();
    options.signal?.addEventListener('abort', wakeOnAbort);
    this.receiving++;
    try {
      this.throwIfFailed();
      this.connect(max);
      const deadline = Date.now() + waitMs;
      for (;;) {
        this.dropExpired();
        const left = deadline - Date.now();
        if (this.prefetched.size > 0 || this.closed || left <= 0 || options.signal?.aborted) break;
        await this.arrival(left);
        this.throwIfFailed();
      }
      if (options.signal?.aborted) return [];
      const lingerUntil = Date.now() + MAX_LINGER_MS;
      while (this.prefetched.size > 0 && this.prefetched.size < max && !this.closed) {
        const left = Math.min(LINGER_GAP_MS, lingerUntil - Date.now());
        if (left <= 0 || !(await this.arrival(left))) break;
      }
      return this.take(max);
    } finally {
      options.signal?.removeEventListener('abort', wakeOnAbort);
      this.receiving--;
      this.touch();
    }
  }

  async ack(eventIds: string[]): Promise<void> {
    if (eventIds.length === 0) return;
    this.dropExpired();
    const source = this.source;
    const items = new Map<string, Delivered>();
    for (const id of eventIds) {
      const item = this.held.get(String(id).toLowerCase());
      if (!item || !source) throw new NotOutstandingError(this.group, id);
      items.set(item.event.id, item);
    }
    await source!.ack(...[...items.values()].map((item) => item.resolved));
    for (const id of items.keys()) this.held.delete(id);
    this.touch();
  }

  async nack(eventId: string, options: { park?: boolean; reason?: string } = {}): Promise<void> {
    this.dropExpired();
    const item = this.held.get(String(eventId).toLowerCase());
    const source = this.source;
    if (!item || !source) throw new NotOutstandingError(this.group, eventId);
    const deliveryCount = item.resolved.retryCount + 1;
    // Parking on the last delivery ourselves keeps the caller's reason; the server's would not.
    const park = options.park === true || deliveryCount >= this.settings.maxDeliveries;
    const reason = park ? encodeParkReason(options.reason ?? null, deliveryCount) : (options.reason ?? '');
    await source.nack(park ? PARK : RETRY, reason, item.resolved);
    this.held.delete(item.event.id);
    this.touch();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.disconnect();
    this.onClosed();
  }

  private connect(bufferSize: number): void {
    if (this.source) return;
    const source = this.client.subscribeToPersistentSubscriptionToAll(this.group, { bufferSize });
    this.source = source;
    source.on('data', (resolved: PersistentSubscriptionToAllResolvedEvent) => {
      if (this.source === source) this.onDelivery(source, resolved);
    });
    source.on('error', (error: unknown) => {
      if (this.source !== source) return;
      this.failure = { error };
      void this.disconnect();
    });
    source.on('close', () => {
      if (this.source === source) void this.disconnect();
    });
  }

  private onDelivery(source: PersistentSubscriptionToAll, resolved: PersistentSubscriptionToAllResolvedEvent): void {
    let event: RecordedEvent | null;
    try {
      event = resolved.event && isVisibleStream(resolved.event.streamId) ? toRecordedEvent(resolved.event) : null;
    } catch (error) {
      this.failure = { error };
      void this.disconnect();
      return;
    }
    const { filter, after } = this.settings;
    if (!event || !matchesFilter(event, filter) || (after !== null && event.position <= after)) {
      // Not the caller's business (bookkeeping streams, the group's exclusive start): settle it now.
      source.ack(resolved).catch(() => undefined);
      return;
    }
    // A redelivery means the server took the event back: it is not ours any more until taken again.
    this.held.delete(event.id);
    this.prefetched.delete(event.id);
    this.prefetched.set(event.id, { resolved, event, arrivedAt: Date.now() });
    this.wakeAll();
  }

  private take(max: number): GroupDelivery[] {
    const taken: Delivered[] = [];
    for (const [id, item] of this.prefetched) {
      if (taken.length >= max) break;
      this.prefetched.delete(id);
      this.held.set(id, item);
      taken.push(item);
    }
    return taken
      .sort((a, b) => (a.event.position < b.event.position ? -1 : 1))
      .map((item) => ({ event: item.event, deliveryCount: item.resolved.retryCount + 1 }));
  }

  /** Events past their lease are the server's again (it retries them on its timeout). */
  private dropExpired(): void {
    const now = Date.now();
    for (const buffer of [this.prefetched, this.held]) {
      for (const [id, item] of buffer) if (item.arrivedAt + this.leaseMs <= now) buffer.delete(id);
    }
  }

  private arrival(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (arrived: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(arrived);
      };
      const wake = (): void => finish(true);
      const timer = setTimeout(() => finish(false), ms);
      this.waiters.add(wake);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private throwIfFailed(): void {
    const failure = this.failure;
    if (!failure) return;
    this.failure = null;
    if (isMissingGroup(failure.error)) throw new ConsumerGroupNotFoundError(this.group);
    throw failure.error;
  }

  private touch(): void {
    this.lastActivity = Date.now();
    this.scheduleIdleCheck();
  }

  private scheduleIdleCheck(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!this.source || this.receiving > 0 || this.closed) return;
    let due = this.lastActivity + this.idleMs;
    for (const item of this.held.values()) due = Math.max(due, item.arrivedAt + this.leaseMs);
    this.idleTimer = setTimeout(() => this.idleCheck(), Math.max(0, due - Date.now()));
    this.idleTimer.unref();
  }

  private idleCheck(): void {
    this.idleTimer = null;
    if (!this.source || this.receiving > 0 || this.closed) return;
    this.dropExpired();
    if (this.held.size > 0 || Date.now() - this.lastActivity < this.idleMs) return this.scheduleIdleCheck();
    void this.disconnect();
  }

  /** The server retries whatever this connection held, as it does for a member that died. */
  private async disconnect(): Promise<void> {
    const source = this.source;
    if (!source) return;
    this.source = null;
    this.prefetched.clear();
    this.held.clear();
    this.wakeAll();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await source.unsubscribe().catch(() => undefined);
  }
}
