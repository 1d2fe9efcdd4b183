import { Client, type ClientConfig } from 'pg';

export const APPEND_CHANNEL = 'event_store_appended';

/**
 * One LISTEN connection per store, shared by every subscription and consumer-group member that is
 * waiting for new events. NOTIFY is only a wake-up call: waiters always re-read from their
 * position, and fall back to polling, so a lost notification costs latency, never an event.
 */
export class AppendNotifier {
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private waiters = new Set<() => void>();
  private closed = false;
  /** Counts notifications, so a reader can tell it missed one while it was busy reading. */
  generation = 0;

  constructor(private readonly config: ClientConfig) {}

  /**
   * Resolves on the next append, after `timeoutMs`, or when `signal` aborts; whichever is first.
   * With `seen` (the generation read before the caller's last read), returns at once if a
   * notification came in since.
   */
  async waitForAppend(timeoutMs: number, signal?: AbortSignal, seen?: number): Promise<void> {
    if (this.closed || signal?.aborted) return;
    if (seen !== undefined && this.generation !== seen) return;
    this.ensureListening();
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private ensureListening(): void {
    if (this.client || this.connecting || this.closed) return;
    this.connecting = this.connect()
      .catch(() => {
        // Polling covers the gap; try again on the next wait.
      })
      .finally(() => {
        this.connecting = null;
      });
  }

  private async connect(): Promise<void> {
    const client = new Client(this.config);
    client.on('notification', () => this.wakeAll());
    client.on('error', () => {
      if (this.client === client) this.client = null;
      client.end().catch(() => undefined);
    });
    await client.connect();
    await client.query(`LISTEN ${APPEND_CHANNEL}`);
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
  }

  private wakeAll(): void {
    this.generation++;
    for (const wake of [...this.waiters]) wake();
  }
}
