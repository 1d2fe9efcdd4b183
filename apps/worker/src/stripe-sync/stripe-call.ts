import Stripe from 'stripe';
import { type StripeRetry, StripeRetriesFailed, withStripeRetries } from '@ledgerline/stripe';

/** The largest backoff window of the outbound sync (Retry-After is capped at 60 s on its own). */
export const MAX_BACKOFF_MS = 60_000;

/** A Stripe call that did not succeed: Stripe's refusal, or a passing failure that outlasted the retries. */
export class StripeCallFailed extends Error {
  constructor(
    readonly operation: string,
    readonly reason: string,
    readonly stripeErrorType: string | null,
    readonly stripeErrorCode: string | null,
    readonly statusCode: number | null,
    readonly attempts: number,
  ) {
    super(`${operation} failed after ${attempts} attempt(s): ${reason}`);
    this.name = 'StripeCallFailed';
  }
}

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  signal?: AbortSignal;
  /** Each retry, with its attempt, wait and reason (`409`, `429`, `503`, `network`). */
  onRetry?(retry: StripeRetry): void;
}

/**
 * Calls Stripe under Ledgerline's one retry policy (`withStripeRetries`, decision 0020): what Stripe
 * says may be retried (Stripe-Should-Retry, else 409, 429, 5xx, network errors and timeouts) is
 * retried with full-jitter exponential backoff from `baseMs` (Retry-After as a floor), up to
 * `maxAttempts`. The caller passes the same idempotency key on every attempt, so a retry of a call
 * that did reach Stripe returns its first result instead of acting twice.
 */
export async function callStripe<T>(operation: string, policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  try {
    return await withStripeRetries(operation, call, {
      maxAttempts: policy.maxAttempts,
      baseDelayMs: policy.baseMs,
      maxDelayMs: MAX_BACKOFF_MS,
      signal: policy.signal,
      onRetry: policy.onRetry,
    });
  } catch (error) {
    if (error instanceof StripeRetriesFailed) throw failure(operation, error.cause, error.attempts);
    throw error;
  }
}

function failure(operation: string, error: unknown, attempts: number): StripeCallFailed {
  if (error instanceof StripeCallFailed) return error;
  if (error instanceof Stripe.errors.StripeError) {
    return new StripeCallFailed(
      operation,
      error.message,
      error.type ?? null,
      error.code ?? null,
      error.statusCode ?? null,
      attempts,
    );
  }
  return new StripeCallFailed(
    operation,
    error instanceof Error ? error.message : String(error),
    null,
    null,
    null,
    attempts,
  );
}
