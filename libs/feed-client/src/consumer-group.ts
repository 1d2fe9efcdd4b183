import type { BackoffOptions } from './backoff';
import { FeedHttpError } from './errors';
import { type ConsumeOptions, type DeliveryHandler, GroupWorker } from './group-worker';
import type { HttpClient, RequestOptions } from './http';
import type { Delivery, GroupInfo, GroupSettings, ParkedDelivery } from './types';

/**
 * A consumer group on the server: a durable, filtered position whose events are shared between its
 * members; each event is acked, or nacked to be retried, and parked after `maxDeliveries`. The
 * methods are the HTTP API one for one; `consume` runs a member.
 */
export class ConsumerGroup {
  constructor(
    private readonly http: HttpClient,
    readonly name: string,
    private readonly backoff: BackoffOptions,
  ) {}

  /** Creates the group; a FeedHttpError 409 if it exists. */
  create(settings: GroupSettings = {}): Promise<GroupInfo> {
    const { types, ...rest } = settings;
    return this.http.json('POST', '/feed/groups', { name: this.name, ...rest, eventTypePrefixes: types });
  }

  /**
   * Creates the group, or returns it if it exists: every instance of a service can call it at start.
   * An existing group keeps its own settings (change them by deleting and creating it again).
   */
  async ensure(settings: GroupSettings = {}): Promise<GroupInfo> {
    try {
      return await this.create(settings);
    } catch (error) {
      if (error instanceof FeedHttpError && error.status === 409) return this.get();
      throw error;
    }
  }

  get(): Promise<GroupInfo> {
    return this.http.json('GET', this.path());
  }

  delete(): Promise<void> {
    return this.http.json('DELETE', this.path());
  }

  /** Up to `max` events for `member`, waiting up to `waitMs` (at most 30 s) for the first. */
  async receive<TData = unknown>(
    member: string,
    options: { max?: number; waitMs?: number } = {},
    request: RequestOptions = {},
  ): Promise<Delivery<TData>[]> {
    const { max = 10, waitMs = 0 } = options;
    // The answer can take waitMs by design: the timeout only catches a connection that hangs.
    const timeoutMs = waitMs + 30_000;
    const body = await this.http.json<{ deliveries: Delivery<TData>[] }>(
      'POST',
      this.path('/receive'),
      { member, max, waitMs },
      { timeoutMs, ...request },
    );
    return body.deliveries;
  }

  /** All or nothing: a FeedHttpError 409 if any of them is no longer this member's (its lease ran out). */
  ack(member: string, eventIds: string[]): Promise<void> {
    return this.http.json('POST', this.path('/ack'), { member, eventIds });
  }

  /** Gives an event back, to be retried after a short delay, or parked at once with `park`. */
  nack(member: string, eventId: string, options: { park?: boolean; reason?: string } = {}): Promise<void> {
    return this.http.json('POST', this.path('/nack'), { member, eventId, ...options });
  }

  async parked<TData = unknown>(): Promise<ParkedDelivery<TData>[]> {
    return (await this.http.json<{ data: ParkedDelivery<TData>[] }>('GET', this.path('/parked'))).data;
  }

  /** Puts parked events (all, or those given) back in line; returns how many. */
  async replayParked(eventIds?: string[]): Promise<number> {
    return (await this.http.json<{ replayed: number }>('POST', this.path('/parked/replay'), { eventIds })).replayed;
  }

  /**
   * Runs a member: receives batches, calls the handler for each event, acks those it handled,
   * nacks (retry) those it threw on, and parks those it threw a PermanentError on.
   */
  consume<TData = unknown>(options: ConsumeOptions, handler: DeliveryHandler<TData>): GroupWorker<TData> {
    return new GroupWorker(this, options, handler, this.backoff);
  }

  private path(suffix = ''): string {
    return `/feed/groups/${encodeURIComponent(this.name)}${suffix}`;
  }
}
