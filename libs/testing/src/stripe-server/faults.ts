import { stripeError, type StripeReply } from './stripe-objects';

export interface RequestMatcher {
  /** HTTP method, any case; all methods when left out. */
  method?: string;
  /** Exact request path (no query string) or a pattern tested against it; all paths when left out. */
  path?: string | RegExp;
}

export interface FailOptions extends RequestMatcher {
  status: 429 | 500 | 503;
  /** How many matching requests to fail (default 1). */
  times?: number;
  /** Extra response headers, e.g. `{ 'stripe-should-retry': 'true' }` to make the SDK retry a 429. */
  headers?: Record<string, string>;
  message?: string;
}

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
    const type = options.status === 429 ? 'rate_limit_error' : 'api_error';
    const message =
      options.message ??
      (options.status === 429
        ? 'Request rate limit exceeded (injected by the Stripe test server).'
        : 'An unknown error occurred (injected by the Stripe test server).');
    const reply = stripeError(options.status, {
      type,
      message,
      ...(options.status === 429 ? { code: 'rate_limit' } : {}),
    });
    this.arm(options, options.times, { kind: 'fail', reply: { ...reply, headers: { ...options.headers } } });
  }

  drop(options: DropOptions): void {
    this.arm(options, options.times, { kind: 'drop', when: options.when ?? 'before' });
  }

  take(method: string, path: string): Fault | undefined {
    const found = this.armed.find((armed) => matches(armed.matcher, method, path));
    if (!found) return undefined;
    found.remaining -= 1;
    if (found.remaining <= 0) this.armed = this.armed.filter((armed) => armed !== found);
    return found.fault;
  }

  clear(): void {
    this.armed = [];
  }

  private arm(matcher: RequestMatcher, times: number | undefined, fault: Fault): void {
    const remaining = times ?? 1;
    if (!Number.isInteger(remaining) || remaining < 1)
      throw new Error(`times must be a positive integer, got ${times}`);
    this.armed.push({ matcher: { method: matcher.method, path: matcher.path }, remaining, fault });
  }
}
