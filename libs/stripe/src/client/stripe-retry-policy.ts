import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';

/**
 * Which rule decided: Stripe's `Stripe-Should-Retry` header when it sent one, else the kind of
 * failure. The same order as the SDK's own `RequestSender._shouldRetry`, with 429 added (decision 0020).
 */
export type StripeRetryRule =
  | 'stripe-should-retry: true'
  | 'stripe-should-retry: false'
  | 'conflict'
  | 'rate-limited'
  | 'server-error'
  | 'network'
  | 'final';

export interface StripeRetryDecision {
  retry: boolean;
  rule: StripeRetryRule;
  /**
   * What went wrong, fit for logs and records: the HTTP status (`409`, `429`, `503`), `network`
   * (no answer: connection refused or cut, timeout) or `error` (not Stripe's). Never anything of the
   * request or its data.
   */
  reason: string;
}

/**
 * Whether a failed Stripe request may be sent again, exactly as Stripe says:
 * 1. `Stripe-Should-Retry: true`: retry (Stripe knows it is safe, e.g. a lock timeout), whatever the status;
 * 2. `Stripe-Should-Retry: false`: never (e.g. a 500 its idempotency layer would only replay);
 * 3. no header: 409 (the object is locked by another request, or a request with the same
 *    idempotency key is still in flight), 429, 5xx, and no answer at all (network errors and
 *    timeouts, `StripeConnectionError`) are retried;
 * 4. anything else (400, 401, 402, 403, 404, ..., an error that is not Stripe's) is final.
 * This is the SDK's `RequestSender._shouldRetry` plus 429, which the SDK retries only when Stripe
 * adds `Stripe-Should-Retry: true` but Stripe's rate-limit guide says to retry with backoff.
 */
export function decideStripeRetry(error: unknown): StripeRetryDecision {
  if (error instanceof Stripe.errors.StripeConnectionError) return { retry: true, rule: 'network', reason: 'network' };
  if (!(error instanceof Stripe.errors.StripeError)) return { retry: false, rule: 'final', reason: 'error' };
  const status = typeof error.statusCode === 'number' ? error.statusCode : null;
  const reason = status === null ? 'error' : String(status);
  const shouldRetry = headerOf(error, 'stripe-should-retry');
  if (shouldRetry === 'true') return { retry: true, rule: 'stripe-should-retry: true', reason };
  if (shouldRetry === 'false') return { retry: false, rule: 'stripe-should-retry: false', reason };
  if (status === 409) return { retry: true, rule: 'conflict', reason };
  if (status === 429) return { retry: true, rule: 'rate-limited', reason };
  if (status !== null && status >= 500) return { retry: true, rule: 'server-error', reason };
  return { retry: false, rule: 'final', reason };
}

/**
 * A failure that passes, so the same request may succeed if sent again: the policy's decision
 * (`decideStripeRetry`). Anything else is Stripe's answer to the request and is final.
 */
export function isPassingStripeError(error: unknown): boolean {
  return decideStripeRetry(error).retry;
}

export interface StripeRetry {
  /** The attempt that failed (1 for the first). */
  attempt: number;
  /** How long the next attempt waits. */
  delayMs: number;
  /** `409`, `429`, `503`, `network`, ...: what went wrong (StripeRetryDecision.reason). */
  reason: string;
}

export interface StripeRetryOptions {
  /** Attempts in all (the first included) before a retryable failure is given up on. */
  maxAttempts: number;
  /** The backoff window after the first failed attempt; it doubles per attempt up to `maxDelayMs`. */
  baseDelayMs: number;
  /** The largest backoff window (default 30 s). */
  maxDelayMs?: number;
  /** `Retry-After` is honoured up to this (default 60 s): a call that sleeps for an hour looks hung. */
  maxRetryAfterMs?: number;
  /** Stops waiting: an abort during a wait (or before an attempt) rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Each retry, before its wait: record it (the attempt, the wait, the reason). */
  onRetry?(retry: StripeRetry): void;
  /** Before every attempt, the first included: a pacer's `take` (requests per second). */
  beforeAttempt?(signal?: AbortSignal): Promise<void> | void;
  /** Stripe answered 429 and the next attempt waits `delayMs`: a pacer slows down and pauses. */
  onRateLimited?(delayMs: number): void;
  /** The call succeeded: a pacer speeds up again. */
  onSuccess?(): void;
  /** Math.random unless given: [0, 1). For tests. */
  random?: () => number;
}

/** A Stripe call that failed for good: the policy said final, or it still failed after the last attempt. */
export class StripeRetriesFailed extends Error {
  constructor(
    readonly what: string,
    readonly attempts: number,
    readonly decision: StripeRetryDecision,
    override readonly cause: unknown,
  ) {
    super(`${what} failed after ${attempts} attempt${attempts > 1 ? 's' : ''}: ${decision.reason}`);
    this.name = 'StripeRetriesFailed';
  }
}

export const DEFAULT_MAX_DELAY_MS = 30_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/**
 * Runs one Stripe request, retrying it as `decideStripeRetry` allows, up to `maxAttempts` in all.
 *
 * The wait before retry n (n = the attempt that failed, from 1) is drawn with full jitter,
 * uniformly from [0, min(maxDelayMs, baseDelayMs * 2^(n-1))], so callers that failed together
 * (every worker hit by the same 429) come back spread out instead of at the same instant. When
 * Stripe sends `Retry-After` (seconds), it is a floor: the wait is Retry-After (capped at
 * `maxRetryAfterMs`) plus that jittered backoff.
 *
 * `call` must send the same request on every attempt: a write carries ONE idempotency key, built
 * by the caller once for the call (never per attempt), so an attempt that reached Stripe but whose
 * answer was lost, or that is still running (409), is replayed by Stripe instead of acting twice.
 *
 * An error of `call` comes out as StripeRetriesFailed (its `cause`); an abort (of `signal`, during a
 * wait or `beforeAttempt`) comes out as the signal's reason.
 */
export async function withStripeRetries<T>(
  what: string,
  call: () => Promise<T>,
  options: StripeRetryOptions,
): Promise<T> {
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts));
  for (let attempt = 1; ; attempt += 1) {
    options.signal?.throwIfAborted();
    await options.beforeAttempt?.(options.signal);
    let error: unknown;
    try {
      const result = await call();
      options.onSuccess?.();
      return result;
    } catch (caught) {
      error = caught;
    }
    const decision = decideStripeRetry(error);
    if (!decision.retry || attempt >= maxAttempts) throw new StripeRetriesFailed(what, attempt, decision, error);
    const delayMs = retryDelayMs(error, attempt, options);
    if (decision.reason === '429') options.onRateLimited?.(delayMs);
    options.onRetry?.({ attempt, delayMs, reason: decision.reason });
    await sleep(delayMs, undefined, { signal: options.signal }).catch((aborted: unknown) => {
      options.signal?.throwIfAborted();
      throw aborted;
    });
  }
}

/** The wait after failed attempt `attempt` (from 1): Retry-After, if sent, plus full-jitter backoff. */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  options: Pick<StripeRetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs' | 'random'>,
): number {
  const window = Math.min(options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS, options.baseDelayMs * 2 ** (attempt - 1));
  const jitter = Math.floor((options.random ?? Math.random)() * (window + 1));
  const retryAfter = retryAfterMs(error);
  return Math.min(window, jitter) + Math.min(retryAfter ?? 0, options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
}

/** Stripe's `Retry-After` in ms (it sends seconds), or null when it sent none or nothing sensible. */
function retryAfterMs(error: unknown): number | null {
  if (!(error instanceof Stripe.errors.StripeError)) return null;
  const header = headerOf(error, 'retry-after');
  if (header === undefined || header.trim() === '') return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : null;
}

function headerOf(error: Stripe.errors.StripeError, name: string): string | undefined {
  const headers = error.headers as Record<string, string | string[] | undefined> | undefined;
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim().toLowerCase() : undefined;
}
