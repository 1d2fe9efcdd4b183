import type { Subscription } from './event-store.port';

/**
 * What every adapter's catch-up subscription shares: the caughtUp/done promises, stop by abort,
 * and telling the store when it has ended. Subclasses implement `run()` and call `markCaughtUp()`.
 */
export abstract class SubscriptionLifecycle implements Subscription {
  protected current = 0n;
  protected readonly abort = new AbortController();
  readonly caughtUp: Promise<void>;
  readonly done: Promise<void>;
  private resolveCaughtUp!: () => void;
  private resolveDone!: () => void;
  private rejectDone!: (error: unknown) => void;

  constructor(private readonly onStopped: () => void) {
    this.caughtUp = new Promise((resolve) => (this.resolveCaughtUp = resolve));
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // Unobserved rejections must not crash the process; callers that care await `done`.
    this.done.catch(() => undefined);
  }

  get position(): bigint {
    return this.current;
  }

  start(): void {
    this.run().then(
      () => {
        this.onStopped();
        this.markCaughtUp();
        this.resolveDone();
      },
      (error: unknown) => {
        this.onStopped();
        this.markCaughtUp();
        this.rejectDone(error);
      },
    );
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done.catch(() => undefined);
  }

  protected isCaughtUp = false;

  protected markCaughtUp(): void {
    this.isCaughtUp = true;
    this.resolveCaughtUp();
  }

  protected abstract run(): Promise<void>;
}
