import { type BackoffOptions, backoffDelay, sleep } from './backoff';
import { FeedHttpError, isRetryable, messageOf, PermanentError } from './errors';
import type { RequestOptions } from './http';
import type { Delivery, FeedEvent } from './types';

/** The calls a worker makes on its group (ConsumerGroup's), named here so the two files do not import each other. */
export interface GroupCalls {
  receive<TData>(
    member: string,
    options: { max: number; waitMs: number },
    request: RequestOptions,
  ): Promise<Delivery<TData>[]>;
  ack(member: string, eventIds: string[]): Promise<void>;
  nack(member: string, eventId: string, options: { park: boolean; reason: string }): Promise<void>;
}

export interface ConsumeOptions {
  /** This member's name, stable across restarts of the same worker (letters, digits, _ . : -). */
  member: string;
  /** Most events received at once. Default 10 (server maximum 500). */
  max?: number;
  /** How long a receive waits on the server for the first event. Default 15 s (maximum 30 s). */
  waitMs?: number;
  /** Events of a batch handled at the same time. Default 1: one at a time, in order. */
  concurrency?: number;
  /** Acks are sent in batches: at the end of each batch, or sooner once the oldest waited this long. Default 1 s. */
  ackIntervalMs?: number;
  /**
   * Called with every error: retried ones (network, 5xx), those that cost a redelivery (an ack
   * refused because the lease ran out), handler failures, and the one that stopped the worker.
   */
  onError?: (error: unknown, event?: FeedEvent) => void;
}

export type DeliveryHandler<TData> = (event: FeedEvent<TData>, delivery: Delivery<TData>) => unknown;

/** The most ids the server takes in one ack. */
const ACK_LIMIT = 500;

/**
 * A member's pull loop. Delivery is at least once: an event is acked only after its handler
 * resolved, so a crash, a timeout or a lost ack means it comes again (to this member or another).
 */
export class GroupWorker<TData> {
  readonly done: Promise<void>;
  private stopping = false;
  private readonly stopped = new AbortController();
  private acks: string[] = [];
  private oldestAck = 0;

  constructor(
    private readonly group: GroupCalls,
    private readonly options: ConsumeOptions,
    private readonly handler: DeliveryHandler<TData>,
    private readonly backoff: BackoffOptions,
  ) {
    this.done = this.run();
    // As for subscriptions: with onError failures have a place to go, else they must not pass silently.
    if (options.onError) this.done.catch(() => undefined);
  }

  /** Finishes the events being handled, acks them, gives back the rest of the batch, and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    // Cuts short a receive waiting on the server (and any backoff): an event the server leases to
    // that receive in the meantime comes back after the group's ack timeout.
    this.stopped.abort();
    await this.done.catch(() => undefined);
  }

  private async run(): Promise<void> {
    const { member, max = 10, waitMs = 15_000 } = this.options;
    let failures = 0;
    try {
      while (!this.stopping) {
        let deliveries: Delivery<TData>[];
        try {
          deliveries = await this.group.receive<TData>(member, { max, waitMs }, { signal: this.stopped.signal });
          failures = 0;
        } catch (error) {
          if (this.stopping) break;
          if (!isRetryable(error)) throw error;
          this.options.onError?.(error);
          await sleep(backoffDelay(++failures, this.backoff, error), this.stopped.signal);
          continue;
        }
        await this.handleBatch(deliveries);
        await this.flushAcks();
      }
    } catch (error) {
      this.options.onError?.(error);
      throw error;
    } finally {
      await this.flushAcks();
    }
  }

  private async handleBatch(deliveries: Delivery<TData>[]): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++]!;
        if (this.stopping) {
          // Not started: back to the group now rather than after the ack timeout.
          await this.nack(delivery, false, 'not handled: the consumer stopped');
        } else {
          await this.handle(delivery);
        }
      }
    };
    const lanes = Math.max(1, Math.min(this.options.concurrency ?? 1, deliveries.length));
    await Promise.all(Array.from({ length: lanes }, lane));
  }

  private async handle(delivery: Delivery<TData>): Promise<void> {
    try {
      await this.handler(delivery.event, delivery);
    } catch (error) {
      this.options.onError?.(error, delivery.event);
      await this.nack(delivery, error instanceof PermanentError, messageOf(error));
      return;
    }
    if (!this.acks.length) this.oldestAck = Date.now();
    this.acks.push(delivery.event.eventId);
    if (this.acks.length >= ACK_LIMIT || Date.now() - this.oldestAck >= (this.options.ackIntervalMs ?? 1_000)) {
      await this.flushAcks();
    }
  }

  private async flushAcks(): Promise<void> {
    while (this.acks.length) {
      const ids = this.acks.splice(0, ACK_LIMIT);
      try {
        await this.retrying(() => this.group.ack(this.options.member, ids));
      } catch (error) {
        this.options.onError?.(error);
        // The server refuses the whole batch when one lease ran out (that event went back to the
        // group and will come again): ack the others one by one so they are not redelivered too.
        if (error instanceof FeedHttpError && error.status === 409 && ids.length > 1) {
          for (const id of ids) {
            await this.retrying(() => this.group.ack(this.options.member, [id])).catch((e: unknown) =>
              this.options.onError?.(e),
            );
          }
        }
      }
    }
  }

  private async nack(delivery: Delivery<TData>, park: boolean, reason: string): Promise<void> {
    const { member } = this.options;
    const request = () => this.group.nack(member, delivery.event.eventId, { park, reason: reason.slice(0, 1_000) });
    // A nack that fails costs only time: the lease runs out and the event comes back anyway.
    await this.retrying(request).catch((error: unknown) => this.options.onError?.(error, delivery.event));
  }

  /** A few attempts with backoff for network and server errors; acks and nacks still go out while stopping. */
  private async retrying(request: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (error) {
        if (!isRetryable(error) || attempt >= 5) throw error;
        this.options.onError?.(error);
        await sleep(backoffDelay(attempt, this.backoff, error));
      }
    }
  }
}
