import { stripeError, type StripeReply } from './stripe-objects';

export interface RequestMatcher {
  /** HTTP method, any case; all methods when left out. */
  method?: string;
  /** Exact request path (no query string) or a pattern tested against it; all paths when left out. */
  path?: string | RegExp;
}

export interface FailOptions extends RequestMatcher {
  /**
   * 409: Stripe's `lock_timeout` (another request holds the object); 429: a rate limit; 500, 502,
   * 503: Stripe failing; 400, 402, 404: a refusal (with `stripe-should-retry: true` in `headers`, one
   * Stripe says may be retried).
   */
  status: 400 | 402 | 404 | 409 | 429 | 500 | 502 | 503;
  /** How many matching requests to fail (default 1). */
  times?: number;
  /**
   * Fail each idempotency key at most once: with `times: 4`, four different keys' first requests
   * fail, and a retry that arrives before another key's first request is not the one that fails.
   */
  oncePerIdempotencyKey?: boolean;
  /**
   * Extra response headers: `{ 'stripe-should-retry': 'true' }` (or `'false'`), as Stripe marks an
   * error it says may (may not) be retried; `{ 'retry-after': '1' }`.
   */
  headers?: Record<string, string>;
  message?: string;
  /** Stripe's error type; by default `rate_limit_error` (429), `api_error` (5xx), else `invalid_request_error`. */
  type?: string;
  /** Stripe's error code; by default `rate_limit` (429), `lock_timeout` (409), else none. */
  code?: string;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  409: 'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request. (Injected by the Stripe test server.)',
  429: 'Request rate limit exceeded (injected by the Stripe test server).',
};

export interface DropOptions extends RequestMatcher {
  /** How many matching requests to drop (default 1). */
  times?: number;
  /**
   * `before` (default): the connection is cut before anything runs. `after`: the request runs (and
   * its idempotency key is stored) and only the response is lost, which is what makes a retry with
   * the same key interesting. `never`: the request runs and no response is ever sent (the
   * connection stays open), so a test can kill the caller while Stripe has acted and it does not know.
   */
  when?: 'before' | 'after' | 'never';
}

export type Fault = { kind: 'fail'; reply: StripeReply } | { kind: 'drop'; when: 'before' | 'after' | 'never' };

interface Armed {
  matcher: RequestMatcher;
  remaining: number;
  fault: Fault;
  /** Keys already failed, when a fault fails each key once. */
  keysTaken?: Set<string>;
}

export function matches(matcher: RequestMatcher, method: string, path: string): boolean {
  if (matcher.method && matcher.method.toUpperCase() !== method.toUpperCase()) return false;
  if (matcher.path === undefined) return true;
  if (typeof matcher.path === 'string') return matcher.path === path;
  matcher.path.lastIndex = 0;
  return matcher.path.test(path);
}

/** Faults armed by a test, consumed first come first served by the requests they match. */
export class FaultQueue {
  private armed: Armed[] = [];

  fail(options: FailOptions): void {
    const { status } = options;
    const type =
      options.type ?? (status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error');
    const message =
      options.message ??
      DEFAULT_MESSAGES[status] ??
      (status >= 500
        ? 'An unknown error occurred (injected by the Stripe test server).'
        : 'The request was refused (injected by the Stripe test server).');
    const code = options.code ?? (status === 429 ? 'rate_limit' : status === 409 ? 'lock_timeout' : undefined);
    const reply = stripeError(status, { type, message, ...(code ? { code } : {}) });
    this.arm(
      options,
      options.times,
      { kind: 'fail', reply: { ...reply, headers: { ...options.headers } } },
      options.oncePerIdempotencyKey,
    );
  }

  drop(options: DropOptions): void {
    this.arm(options, options.times, { kind: 'drop', when: options.when ?? 'before' });
  }

  take(method: string, path: string, idempotencyKey: string | null = null): Fault | undefined {
    const found = this.armed.find(
      (armed) =>
        matches(armed.matcher, method, path) &&
        !(armed.keysTaken && idempotencyKey !== null && armed.keysTaken.has(idempotencyKey)),
    );
    if (!found) return undefined;
    if (found.keysTaken && idempotencyKey !== null) found.keysTaken.add(idempotencyKey);
    found.remaining -= 1;
    if (found.remaining <= 0) this.armed = this.armed.filter((armed) => armed !== found);
    return found.fault;
  }

  clear(): void {
    this.armed = [];
  }

  private arm(matcher: RequestMatcher, times: number | undefined, fault: Fault, oncePerKey = false): void {
    const remaining = times ?? 1;
    if (!Number.isInteger(remaining) || remaining < 1)
      throw new Error(`times must be a positive integer, got ${times}`);
    this.armed.push({
      matcher: { method: matcher.method, path: matcher.path },
      remaining,
      fault,
      ...(oncePerKey ? { keysTaken: new Set<string>() } : {}),
    });
  }
}
