import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@nestjs/common';
import type { EventFilter, EventStore, RecordedEvent, Subscription } from '@ledgerline/event-store';
import type { Lease, LeasedUnit } from '@ledgerline/leases';

const RESTART_DELAY_MS = 5_000;

export interface FollowOptions {
  checkpointId: string;
  filter: EventFilter;
  batchSize: number;
  logger: Logger;
  /** The process's stop signal: aborted first by its stop(), which then awaits the follower's. */
  signal: AbortSignal;
  /** Handles one event; the checkpoint moves past it only once this resolves. */
  handle(event: RecordedEvent): Promise<void>;
}

/**
 * A process manager's loop: follows the store from a durable checkpoint, one event at a time in
 * store order. An unexpected failure (database down, a run held elsewhere) restarts it from the
 * checkpoint after a pause, so an event is handled again rather than skipped.
 */
export class CheckpointedFollower {
  private subscription: Subscription | null = null;
  private loop: Promise<void> | null = null;

  constructor(private readonly options: FollowOptions) {}

  start(store: EventStore): void {
    this.loop = this.run(store);
  }

  /** After the signal is aborted: stops the subscription and waits for the loop to end. */
  async stop(): Promise<void> {
    await this.subscription?.stop().catch(() => undefined);
    await this.loop?.catch(() => undefined);
  }

  private async run(store: EventStore): Promise<void> {
    const { signal } = this.options;
    while (!signal.aborted) {
      this.subscription = store.subscribeToAll({
        checkpointId: this.options.checkpointId,
        filter: this.options.filter,
        batchSize: this.options.batchSize,
        handler: async (events) => {
          for (const event of events) {
            if (signal.aborted) throw new Error('stopping');
            await this.options.handle(event);
          }
        },
      });
      try {
        await this.subscription.done;
      } catch (error) {
        if (signal.aborted) return;
        this.options.logger.error(
          `stopped on ${(error as Error).message}; resuming from the checkpoint in ${RESTART_DELAY_MS} ms`,
        );
        await sleep(RESTART_DELAY_MS, undefined, { signal }).catch(() => undefined);
      }
    }
  }
}

/** A process manager as a unit of work: a new follower for every lease taken, stopped with it. */
export function followerUnit(name: string, follow: (lease: Lease) => CheckpointedFollower): LeasedUnit {
  let follower: CheckpointedFollower | null = null;
  return {
    name,
    start: async (lease) => {
      follower = follow(lease);
    },
    stop: async () => follower?.stop(),
  };
}
