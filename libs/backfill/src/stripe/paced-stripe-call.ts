import { type StripeRetry, StripeRetriesFailed, withStripeRetries } from '@ledgerline/stripe';
import type { RequestPacer } from './request-pacer';

export type { StripeRetry } from '@ledgerline/stripe';

export interface PacedCallOptions {
  pacer: RequestPacer;
  /** Attempts before a retryable failure is given up on (and reported). */
  maxAttempts: number;
  signal?: AbortSignal;
  /** First backoff window; doubles per attempt up to 30 s, with full jitter. `Retry-After` is a floor. */
  backoffBaseMs?: number;
  onRetry?(retry: StripeRetry): void;
}

/** A Stripe request that failed for good: not retryable, or still failing after every attempt. */
export class StripeRequestFailed extends Error {
  constructor(
    readonly what: string,
    readonly reason: string,
    readonly attempts: number,
    readonly requestId: string | null,
    cause: unknown,
  ) {
    super(
      `${what} failed after ${attempts} attempt${attempts > 1 ? 's' : ''}: ${reason}${requestId ? ` (Stripe request ${requestId})` : ''}`,
      { cause },
    );
    this.name = 'StripeRequestFailed';
  }
}

interface StripeErrorLike {
  message?: string;
  requestId?: string;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Runs one Stripe request at the pacer's pace, under Ledgerline's one retry policy
 * (`withStripeRetries`, decision 0020): what Stripe says may be retried (`Stripe-Should-Retry`,
 * else 409, 429, 5xx, network errors and timeouts) is retried with full-jitter exponential backoff
 * (`Retry-After` as a floor, capped at 60 s); anything else (400, 401, 403, 404) fails at once,
 * since repeating it cannot help. Every attempt waits its turn at the pacer, a 429 slows the pacer
 * down and pauses it for the wait, a success speeds it up again. Listings are reads: no
 * idempotency key is needed for their retries.
 */
export async function pacedStripeCall<T>(what: string, call: () => Promise<T>, options: PacedCallOptions): Promise<T> {
  const { pacer } = options;
  try {
    return await withStripeRetries(what, call, {
      maxAttempts: options.maxAttempts,
      baseDelayMs: options.backoffBaseMs ?? 500,
      maxDelayMs: MAX_BACKOFF_MS,
      signal: options.signal,
      beforeAttempt: (signal) => pacer.take(signal),
      onRateLimited: (delayMs) => pacer.rateLimited(delayMs),
      onSuccess: () => pacer.succeeded(),
      onRetry: options.onRetry,
    });
  } catch (error) {
    if (!(error instanceof StripeRetriesFailed)) throw error;
    const failure = error.cause as StripeErrorLike;
    const reason =
      error.decision.reason === 'network'
        ? 'network error'
        : `${error.decision.reason} ${failure?.message ?? String(error.cause)}`;
    throw new StripeRequestFailed(what, reason, error.attempts, failure?.requestId ?? null, error.cause);
  }
}
