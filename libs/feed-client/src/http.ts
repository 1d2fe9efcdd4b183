import { FeedConnectionError, FeedHttpError, messageOf } from './errors';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** The few HTTP calls the client makes: bearer auth, JSON in and out, errors as typed errors. */
export class HttpClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly fetchImpl: FetchLike,
  ) {}

  /** Opens a server-sent-events response; the caller reads (and at the end aborts) its body. */
  async stream(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    const response = await this.send('GET', path, { headers: { Accept: 'text/event-stream', ...headers }, signal });
    if (!response.body) throw new FeedConnectionError(`GET ${path} answered without a body`);
    return response;
  }

  /**
   * A JSON request; undefined for 204. It gives up after `timeoutMs` (a connection that hangs must
   * not hang its caller), or when `signal` aborts.
   */
  async json<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new FeedConnectionError(`${method} ${path}: no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs ?? 30_000,
    );
    const abort = () => timeout.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      const response = await this.send(method, path, {
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: timeout.signal,
      });
      if (response.status === 204) return undefined as T;
      try {
        return (await response.json()) as T;
      } catch (error) {
        throw new FeedConnectionError(`${method} ${path}: the answer broke off: ${messageOf(error)}`, { cause: error });
      }
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
    }
  }

  private async send(method: string, path: string, init: RequestInit & { headers: Record<string, string> }) {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        ...init,
        method,
        headers: { ...init.headers, Authorization: `Bearer ${this.apiKey}` },
      });
    } catch (error) {
      const reason = init.signal?.aborted ? init.signal.reason : error;
      if (reason instanceof FeedConnectionError) throw reason;
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, a reset) is its cause.
      const detail = reason instanceof Error && reason.cause ? ` (${messageOf(reason.cause)})` : '';
      throw new FeedConnectionError(`${method} ${path}: ${messageOf(reason)}${detail}`, { cause: error });
    }
    if (!response.ok) throw await FeedHttpError.from(response, `${method} ${path}`);
    return response;
  }
}

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}
