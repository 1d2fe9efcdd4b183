import type { SubscribeToAllOptions } from '../event-store.port';
import { SubscriptionLifecycle } from '../subscription-lifecycle';
import type { PostgresStoreAccess } from './store-access';

const DEFAULT_BATCH = 500;

/**
 * A catch-up subscription: reads forwards from its position in batches, hands each batch to the
 * handler, stores its checkpoint, and when it reaches the head waits for the next append
 * (NOTIFY, with polling as the fallback). Positions are commit-ordered, so reading `position > p`
 * never skips an event that commits later.
 */
export class PostgresSubscription extends SubscriptionLifecycle {
  constructor(
    private readonly store: PostgresStoreAccess,
    private readonly options: SubscribeToAllOptions,
    onStopped: () => void,
  ) {
    super(onStopped);
  }

  protected async run(): Promise<void> {
    // LISTEN first: an append committed between the first read and LISTEN would otherwise wait for a poll.
    await this.store.notifier.ready();
    this.current = await this.startPosition();
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH;
    const target = await this.store.headPosition();
    let caughtUp = false;
    let generation = this.store.notifier.generation;
    const read = (from: bigint) => {
      generation = this.store.notifier.generation;
      return this.store.readForSubscription(this, from, batchSize, this.options.filter);
    };
    let next = read(this.current);
    try {
      while (!this.abort.signal.aborted) {
        const { events, nextFrom, headPosition } = await next;
        // A full batch, or a filtered scan that stopped short of the head, means more is waiting:
        // read it while the handler works on this one.
        const full = events.length === batchSize || (headPosition !== undefined && nextFrom < headPosition);
        if (full) next = read(nextFrom);
        if (events.length) await this.options.handler(events);
        // nextFrom is at or past the last event handed over: filtered-out events are not re-scanned.
        await this.advance(nextFrom);
        if (this.abort.signal.aborted) break;
        if (full) continue;
        if (!caughtUp && this.current >= target) {
          caughtUp = true;
          this.markCaughtUp();
        }
        // An append notified while we were reading must not wait for the poll interval.
        await this.store.notifier.waitForAppend(this.store.pollIntervalMs, this.abort.signal, generation);
        next = read(this.current);
      }
    } finally {
      // A read-ahead still under way when stopped (or when the handler failed) must not surface
      // as an unhandled rejection.
      next.catch(() => undefined);
    }
  }

  private async advance(position: bigint): Promise<void> {
    if (position <= this.current) return;
    this.current = position;
    if (this.options.checkpointId) await this.store.storeCheckpoint(this.options.checkpointId, position);
  }

  private async startPosition(): Promise<bigint> {
    if (this.options.checkpointId) {
      const stored = await this.store.readCheckpoint(this.options.checkpointId);
      if (stored !== null) return stored;
    }
    const from = this.options.from ?? 'start';
    if (from === 'start') return 0n;
    if (from === 'end') return this.store.headPosition();
    return from;
  }
}
