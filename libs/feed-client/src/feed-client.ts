import type { BackoffOptions } from './backoff';
import { ConsumerGroup } from './consumer-group';
import { type FetchLike, HttpClient } from './http';
import { type EventHandler, FeedSubscription, type SubscribeOptions, type Subscription } from './subscription';

export interface FeedClientOptions {
  /** Where Ledgerline's API answers, e.g. `https://ledgerline.internal`. */
  baseUrl: string;
  /** An API key with the `consumer` role. */
  apiKey: string;
  /** Reconnection and retry delays. Default: from 500 ms, doubling, up to 30 s, with jitter. */
  backoff?: BackoffOptions;
  /** Another fetch (a proxy-aware one, or a test double). Default: the global fetch. */
  fetch?: FetchLike;
}

/**
 * Ledgerline's event feed for a Node service: `subscribe` reads the whole feed (or a filtered part
 * of it) from a position the service keeps; `group(name)` shares a feed between the instances of
 * a service, the server keeping the position. Both reconnect and resume by themselves.
 */
export class FeedClient {
  private readonly http: HttpClient;

  constructor(private readonly options: FeedClientOptions) {
    if (!/^https?:\/\//.test(options.baseUrl))
      throw new TypeError(`baseUrl must be an http(s) URL: "${options.baseUrl}"`);
    if (!options.apiKey) throw new TypeError('apiKey is required');
    const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.http = new HttpClient(options.baseUrl.replace(/\/+$/, ''), options.apiKey, fetchImpl);
  }

  /**
   * Calls `handler` for each event, one at a time and in position order, from the checkpoint's
   * position (or `from`). A position is saved only after its handler resolved; a handler that
   * throws stops the subscription before that event (see `done`).
   */
  subscribe<TData = unknown>(options: SubscribeOptions, handler: EventHandler<TData>): Subscription {
    if (options.from !== undefined && !/^(start|end|\d{1,19})$/.test(options.from)) {
      throw new TypeError(`from must be "start", "end" or a position: "${options.from}"`);
    }
    return new FeedSubscription(this.http, options, handler, this.options.backoff ?? {});
  }

  /** A consumer group by name: manage it, or `consume` as one of its members. */
  group(name: string): ConsumerGroup {
    return new ConsumerGroup(this.http, name, this.options.backoff ?? {});
  }
}
