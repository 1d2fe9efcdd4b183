import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore, RecordedEvent, Subscription } from '@ledgerline/event-store';
import type { Projector } from './projector';
import type { ProjectionStore } from './projection-store';
import type { ProjectionTransaction } from './projector';

export interface RunnerOptions {
  /** The state row to keep the checkpoint in (default: the projector's name). */
  stateName?: string;
  /** Physical names for the projector's tables (a rebuild's shadow copies). */
  tables?: Readonly<Record<string, string>>;
  batchSize?: number;
  /** Attempts of an event that fails before it is parked. */
  maxAttempts?: number;
  /** First retry delay; doubled each attempt. */
  retryBackoffMs?: number;
  /** Delay before resubscribing after the store or the database failed. */
  restartDelayMs?: number;
  log?: (message: string) => void;
  /**
   * Run last in every transaction that writes for the projection: throws when this worker no
   * longer owns it (its lease was taken over), which rolls the batch back and stops the runner.
   */
  fence?: (tx: ProjectionTransaction) => Promise<void>;
}

/**
 * Feeds one projector from its own checkpoint. A batch is applied in one transaction together with
 * the checkpoint, so a crash at any point never applies an event twice or skips one. If the batch
 * fails, its events are applied one at a time: an event that keeps failing (after retries with
 * backoff) is parked with its error and the projector moves on. Each runner has its own
 * subscription and transactions, so a broken projector never stalls another.
 */
export class ProjectionRunner {
  private subscription: Subscription | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private readonly options: Required<Omit<RunnerOptions, 'log' | 'stateName' | 'tables' | 'fence'>> &
    Pick<RunnerOptions, 'log'>;
  private readonly fence: (tx: ProjectionTransaction) => Promise<void>;
  /** Set once a fence refused a write: nothing more is written, the runner ends. */
  private fencedOff: Error | null = null;
  readonly stateName: string;
  private readonly tables: Readonly<Record<string, string>>;

  constructor(
    readonly projector: Projector,
    private readonly store: EventStore,
    private readonly projections: ProjectionStore,
    options: RunnerOptions = {},
  ) {
    this.stateName = options.stateName ?? projector.name;
    this.tables = options.tables ?? {};
    this.options = {
      batchSize: options.batchSize ?? 500,
      maxAttempts: options.maxAttempts ?? 3,
      retryBackoffMs: options.retryBackoffMs ?? 200,
      restartDelayMs: options.restartDelayMs ?? 1_000,
      log: options.log,
    };
    this.fence = options.fence ?? (async () => undefined);
  }

  get name(): string {
    return this.projector.name;
  }

  get batchSize(): number {
    return this.options.batchSize;
  }

  async start(): Promise<void> {
    await this.projections.register(this.stateName, this.projector.version);
    this.stopped = false;
    this.loop = this.supervise();
  }

  /** `status` null leaves the state row alone: another worker owns the projection now. */
  async stop(status: string | null = 'stopped'): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    await this.loop;
    if (status !== null && !this.fencedOff) {
      await this.projections.setStatus(this.stateName, status).catch(() => undefined);
    }
  }

  /** Runs the fence inside `tx`, remembering a refusal so that no retry or parking follows it. */
  private async fenced(tx: ProjectionTransaction): Promise<void> {
    try {
      await this.fence(tx);
    } catch (error) {
      this.fencedOff = error as Error;
      throw error;
    }
  }

  /** Applies events after the checkpoint until it reaches `target` (the runner must be stopped). */
  async catchUpTo(target: bigint): Promise<void> {
    for (;;) {
      const position = BigInt((await this.projections.state(this.stateName))!.position);
      if (position >= target) return;
      const { events, nextFrom } = await this.store.readAll({
        from: position,
        maxCount: this.options.batchSize,
        filter: this.projector.filter,
      });
      if (events.length) await this.handle(events.filter((event) => event.position <= target));
      const reached = nextFrom < target ? nextFrom : target;
      await this.projections.transaction(async (tx) => {
        await this.projections.checkpoint(tx, this.stateName, reached);
        await this.fenced(tx);
      });
    }
  }

  /** Keeps a subscription running from the stored checkpoint, resubscribing after failures. */
  private async supervise(): Promise<void> {
    while (!this.stopped && !this.fencedOff) {
      try {
        const state = await this.projections.state(this.stateName);
        await this.projections.setStatus(this.stateName, 'running');
        this.subscription = this.store.subscribeToAll({
          from: BigInt(state!.position),
          filter: this.projector.filter,
          batchSize: this.options.batchSize,
          handler: (events) => this.handle(events),
        });
        await Promise.race([this.subscription.done, this.advanceWhileIdle(this.subscription)]);
      } catch (error) {
        const message = (error as Error).message;
        if (this.fencedOff) {
          this.options.log?.(`projection ${this.stateName} stopped: ${message}`);
          return;
        }
        this.options.log?.(`projection ${this.stateName} failed, restarting: ${message}`);
        await this.projections.setStatus(this.stateName, 'failing', message).catch(() => undefined);
        if (!this.stopped) await sleep(this.options.restartDelayMs);
      }
    }
  }

  /**
   * With a filter, long runs of events match nothing and no batch moves the checkpoint; the
   * subscription has scanned past them, so record that, or lag would count events it skipped.
   * Safe: the subscription's position only moves once the batch before it has committed.
   */
  private async advanceWhileIdle(subscription: Subscription): Promise<never> {
    for (;;) {
      await sleep(1_000);
      if (this.stopped) return new Promise<never>(() => undefined);
      const position = subscription.position;
      await this.projections.transaction(async (tx) => {
        await this.projections.checkpoint(tx, this.stateName, position);
        await this.fenced(tx);
      });
    }
  }

  private async handle(events: RecordedEvent[]): Promise<void> {
    try {
      await this.projections.transaction(async (tx) => {
        if (this.projector.applyBatch) await this.projector.applyBatch(events, tx);
        else for (const event of events) await this.projector.apply(event, tx);
        await this.projections.checkpoint(tx, this.stateName, events[events.length - 1]!.position);
        await this.fenced(tx);
      }, this.tables);
    } catch (error) {
      if (this.fencedOff) throw error;
      // Something in the batch failed: find it, one event per transaction.
      for (const event of events) await this.applyOne(event);
    }
  }

  private async applyOne(event: RecordedEvent): Promise<void> {
    let lastError = '';
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      try {
        await this.projections.transaction(async (tx) => {
          await this.projector.apply(event, tx);
          await this.projections.checkpoint(tx, this.stateName, event.position);
          await this.fenced(tx);
        }, this.tables);
        return;
      } catch (error) {
        if (this.fencedOff) throw error;
        lastError = (error as Error).message;
        if (attempt < this.options.maxAttempts) await sleep(this.options.retryBackoffMs * 2 ** (attempt - 1));
      }
    }
    await this.projections.transaction(async (tx) => {
      await this.projections.park(tx, this.stateName, event, lastError, this.options.maxAttempts);
      await this.projections.checkpoint(tx, this.stateName, event.position);
      await this.fenced(tx);
    });
    const message = `event ${event.position} (${event.type}) parked after ${this.options.maxAttempts} attempts: ${lastError}`;
    this.options.log?.(`projection ${this.stateName}: ${message}`);
    await this.projections.setStatus(this.stateName, 'running', message);
  }
}
