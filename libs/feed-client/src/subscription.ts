import { type BackoffOptions, backoffDelay, sleep } from './backoff';
import type { CheckpointStore } from './checkpoint';
import { CheckpointError, FeedConnectionError, FeedHttpError, HandlerError, isRetryable, messageOf } from './errors';
import type { HttpClient } from './http';
import { type SseMessage, SseParser } from './sse-parser';
import type { FeedEvent, Position, StartFrom } from './types';

export interface SubscribeOptions {
  /** Where to start when the checkpoint holds nothing: `start` (default), `end`, or after a position. */
  from?: StartFrom;
  /** Stream categories, as alternatives. */
  categories?: string[];
  /** Event type prefixes, as alternatives; with `categories`, an event must match both. */
  types?: string[];
  /** Where the position is kept across restarts. Default: in memory only. */
  checkpoint?: CheckpointStore;
  /** A connection that brings nothing (not even a heartbeat) for this long is dropped. Default 45 s. */
  idleTimeoutMs?: number;
  /** Called before each reconnection: for logs and metrics. */
  onReconnect?: (info: ReconnectInfo) => void;
  /** Called with the error that stopped the subscription; `done` rejects with it too. */
  onError?: (error: unknown) => void;
}

export interface ReconnectInfo {
  reason: string;
  /** The failure, when it was one (not the server asking to reconnect). */
  error?: unknown;
  /** Where it resumes from: the last position handled. */
  position: Position | null;
  delayMs: number;
}

export type EventHandler<TData> = (event: FeedEvent<TData>) => unknown;

export interface Subscription {
  /** The last position handled (or scanned past), null before the first. */
  readonly position: Position | null;
  /** Resolves once stopped; rejects with the error that stopped it (FeedHttpError, HandlerError, ...). */
  readonly done: Promise<void>;
  /** Lets the event being handled finish (and its position be saved), then closes the connection. */
  stop(): Promise<void>;
}

interface Ended {
  reason: string;
  error?: unknown;
  /** Anything handled on this connection: the next failure starts the backoff over. */
  progressed: boolean;
}

/**
 * `GET /feed` as a loop of connections: each event is handed to the handler, one at a time and in
 * order, and its position saved once the handler resolved; every reconnection resumes with
 * Last-Event-ID = the last position handled, so nothing is skipped and nothing handled comes again.
 * The body is read only as fast as the handler goes, which is the server's backpressure.
 */
export class FeedSubscription<TData> implements Subscription {
  readonly done: Promise<void>;
  private current: Position | null = null;
  private stopping = false;
  private readonly stopped = new AbortController();
  private connection: AbortController | null = null;

  constructor(
    private readonly http: HttpClient,
    private readonly options: SubscribeOptions,
    private readonly handler: EventHandler<TData>,
    private readonly backoff: BackoffOptions,
  ) {
    this.done = this.run();
    // With onError the caller has chosen where failures go; without it an unobserved failure must
    // not pass silently, so it surfaces as an unhandled rejection.
    if (options.onError) this.done.catch(options.onError);
  }

  get position(): Position | null {
    return this.current;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    this.connection?.abort();
    await this.done.catch(() => undefined);
  }

  private async run(): Promise<void> {
    this.current = (await this.options.checkpoint?.load()) ?? null;
    let failures = 0;
    while (!this.stopping) {
      const ended = await this.connect();
      if (this.stopping) break;
      if (ended.progressed) failures = 0;
      // A server that asks us to reconnect gets us back at once (a little jitter spreads a fleet);
      // a failure, or a connection that brought nothing, backs off.
      const delayMs =
        ended.progressed && ended.error === undefined
          ? Math.round(Math.random() * 250)
          : backoffDelay(++failures, this.backoff, ended.error);
      this.options.onReconnect?.({ reason: ended.reason, error: ended.error, position: this.current, delayMs });
      await sleep(delayMs, this.stopped.signal);
    }
  }

  /** One connection, until it ends; throws what must stop the subscription. */
  private async connect(): Promise<Ended> {
    const connection = (this.connection = new AbortController());
    const idleMs = this.options.idleTimeoutMs ?? 45_000;
    let progressed = false;
    // Armed while waiting on the server (for the answer, then for each chunk), never while the
    // handler works: a slow handler is not a dead connection.
    let watchdog: NodeJS.Timeout | undefined;
    const watch = () =>
      (watchdog = setTimeout(
        () => connection.abort(new FeedConnectionError(`nothing received for ${idleMs} ms`)),
        idleMs,
      ));
    try {
      watch();
      const headers: Record<string, string> = this.current === null ? {} : { 'Last-Event-ID': this.current };
      const response = await this.http.stream(this.path(), headers, connection.signal);
      clearTimeout(watchdog);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser();
      for (;;) {
        watch();
        const { value, done } = await reader.read();
        clearTimeout(watchdog);
        if (done) {
          // The server ends a stream with a reconnect or error event first; an end without one is a
          // dropped connection (fetch reports a cut `Connection: close` response as a clean end).
          const error = new FeedConnectionError('the stream ended without the server asking to reconnect');
          return { reason: `the connection failed: ${error.message}`, error, progressed };
        }
        for (const message of parser.push(decoder.decode(value, { stream: true }))) {
          const ended = await this.dispatch(message);
          progressed ||= message.event === 'message' || message.event === 'heartbeat';
          if (ended || this.stopping) return { ...ended, reason: ended?.reason ?? 'stopped', progressed };
        }
      }
    } catch (error) {
      // The handler's failure, a lost checkpoint and a 4xx stop the subscription; the rest is the connection's.
      if (error instanceof HandlerError || error instanceof CheckpointError) throw error;
      if (error instanceof FeedHttpError && !isRetryable(error)) throw error;
      const cause = connection.signal.aborted && !this.stopping ? (connection.signal.reason ?? error) : error;
      return { reason: `the connection failed: ${messageOf(cause)}`, error: cause, progressed };
    } finally {
      clearTimeout(watchdog);
      connection.abort(); // lets go of the socket, whatever state the body is in
    }
  }

  private async dispatch(message: SseMessage): Promise<{ reason: string; error?: unknown } | null> {
    switch (message.event) {
      case 'message': {
        const event = JSON.parse(message.data) as FeedEvent<TData>;
        try {
          await this.handler(event);
        } catch (cause) {
          throw new HandlerError(event, cause);
        }
        await this.advance(message.id ?? event.position);
        return null;
      }
      case 'heartbeat':
        // Everything before it has been handled (one at a time), so its scan position is ours.
        if (message.id !== undefined) await this.advance(message.id);
        return null;
      case 'reconnect':
        return { reason: `the server asked to reconnect: ${reasonOf(message.data)}` };
      case 'error':
        return {
          reason: `the server stopped the feed: ${reasonOf(message.data)}`,
          error: new FeedConnectionError(reasonOf(message.data)),
        };
      default:
        return null; // kinds a newer server may add
    }
  }

  private async advance(position: Position): Promise<void> {
    if (!/^\d+$/.test(position) || (this.current !== null && BigInt(position) <= BigInt(this.current))) return;
    try {
      await this.options.checkpoint?.save(position);
    } catch (cause) {
      throw new CheckpointError(`saving position ${position} failed: ${messageOf(cause)}`, { cause });
    }
    this.current = position;
  }

  private path(): string {
    const query = new URLSearchParams();
    if (this.current === null) query.set('from', this.options.from ?? 'start');
    if (this.options.categories?.length) query.set('category', this.options.categories.join(','));
    if (this.options.types?.length) query.set('type', this.options.types.join(','));
    const search = query.toString();
    return `/feed${search ? `?${search}` : ''}`;
  }
}

function reasonOf(data: string): string {
  try {
    const parsed = JSON.parse(data) as { reason?: string; message?: string };
    return parsed.reason ?? parsed.message ?? data;
  } catch {
    return data;
  }
}
