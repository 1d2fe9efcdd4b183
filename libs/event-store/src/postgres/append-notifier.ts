import { Client, type ClientConfig } from 'pg';

export const APPEND_CHANNEL = 'event_store_appended';
/** The LISTEN connection's application_name: operators (and tests) can find it in pg_stat_activity. */
export const LISTEN_APPLICATION_NAME = 'ledgerline-event-store-listen';

const MAX_RECONNECT_DELAY_MS = 5_000;

export interface AppendNotifierOptions {
  connection: ClientConfig;
  /** How often waiters are woken, and cached reads marked stale, without any notification. */
  pollIntervalMs: number;
}

/**
 * One LISTEN connection per store, shared by every subscription and consumer-group member that is
 * waiting for new events. NOTIFY is only a wake-up call: waiters always re-read from their
 * position, so a lost notification costs latency, never an event.
 *
 * `generation` counts every reason the log may have grown since a reader last looked: a
 * notification, a poll tick, and a (re)connect of the LISTEN connection (appends committed while
 * it was down notified nobody). Cached reads older than the current generation are re-read, so a
 * reader that misses every notification still sees new events within one poll interval: a cached
 * head is never trusted for longer than that.
 */
export class AppendNotifier {
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private waiters = new Set<() => void>();
  private closed = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  generation = 0;

  constructor(private readonly options: AppendNotifierOptions) {}

  /** True while the LISTEN connection is up. */
  get listening(): boolean {
    return this.client !== null;
  }

  /**
   * Starts listening and resolves once LISTEN is up, or after `timeoutMs` if it cannot be set up
   * (polling covers that): a subscriber calls it before its first read, so no append between its
   * read and its LISTEN goes unnoticed.
   */
  async ready(timeoutMs = this.options.pollIntervalMs): Promise<void> {
    if (this.closed) return;
    this.startPolling();
    this.ensureListening();
    if (!this.connecting) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.connecting,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]).finally(() => clearTimeout(timer));
  }

  /**
   * Resolves on the next append, poll tick or reconnect, after `timeoutMs`, or when `signal`
   * aborts; whichever is first. With `seen` (the generation read before the caller's last read),
   * returns at once if the generation moved since.
   */
  async waitForAppend(timeoutMs: number, signal?: AbortSignal, seen?: number): Promise<void> {
    if (this.closed || signal?.aborted) return;
    if (seen !== undefined && this.generation !== seen) return;
    this.startPolling();
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
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    for (const wake of [...this.waiters]) wake();
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private startPolling(): void {
    if (this.pollTimer || this.closed) return;
    this.pollTimer = setInterval(() => this.wakeAll(), this.options.pollIntervalMs);
    this.pollTimer.unref();
  }

  private ensureListening(): void {
    if (this.client || this.connecting || this.reconnectTimer || this.closed) return;
    this.connecting = this.connect()
      .then(() => {
        this.failures = 0;
      })
      .catch(() => this.scheduleReconnect())
      .finally(() => {
        this.connecting = null;
      });
  }

  private async connect(): Promise<void> {
    const client = new Client({ ...this.options.connection, application_name: LISTEN_APPLICATION_NAME });
    client.on('notification', () => this.wakeAll());
    // A terminated backend or a dropped connection: listen again, and read after it (wakeAll on connect).
    const lost = (): void => {
      if (this.client !== client) return;
      this.client = null;
      this.scheduleReconnect();
    };
    client.on('error', () => {
      client.end().catch(() => undefined);
      lost();
    });
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${APPEND_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    // Anything committed before LISTEN was up notified nobody here: make every reader look.
    this.wakeAll();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = Math.min(100 * 2 ** this.failures++, MAX_RECONNECT_DELAY_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.ensureListening();
    }, delay);
    this.reconnectTimer.unref();
  }

  private wakeAll(): void {
    this.generation++;
    for (const wake of [...this.waiters]) wake();
  }
}
