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
  /** Each retry, with its attempt, wait and reason (`409`, `429`, `503`, `network`), and the error retried. */
  onRetry?(retry: StripeRetry, error: unknown): void;
}

/**
 * Calls Stripe under Ledgerline's one retry policy (`withStripeRetries`, decision 0020): what Stripe
 * says may be retried (Stripe-Should-Retry, else 409, 429, 5xx, network errors and timeouts) is
 * retried with full-jitter exponential backoff from `baseMs` (Retry-After as a floor), up to
 * `maxAttempts`. The caller passes the same idempotency key on every attempt, so a retry of a call
 * that did reach Stripe returns its first result instead of acting twice.
 */
export async function callStripe<T>(operation: string, policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  // withStripeRetries reports a retry without its error; Stripe's code (`rate_limit`) says more than the status.
  let lastError: unknown = null;
  const attempt = () =>
    call().catch((error: unknown) => {
      lastError = error;
      throw error;
    });
  try {
    return await withStripeRetries(operation, attempt, {
      maxAttempts: policy.maxAttempts,
      baseDelayMs: policy.baseMs,
      maxDelayMs: MAX_BACKOFF_MS,
      signal: policy.signal,
      onRetry: (retry) => policy.onRetry?.(retry, lastError),
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

const REASON_WORDS: Record<string, string> = { '409': 'conflict', '429': 'rate limit', network: 'network error' };

/**
 * A retry's reason in a few words for support (`429 rate limit`, `409 lock timeout`, `503 server
 * error`, `network error`): the status and Stripe's error code, never its message or anything of
 * the request. A code that is not Stripe's usual snake_case word is left out.
 */
export function retryReasonInWords(reason: string, error: unknown): string {
  if (reason === 'network') return REASON_WORDS.network!;
  const code = error instanceof Stripe.errors.StripeError ? error.code : undefined;
  const words =
    typeof code === 'string' && /^[a-z0-9_]{1,64}$/.test(code)
      ? code.replace(/_/g, ' ')
      : (REASON_WORDS[reason] ?? (Number(reason) >= 500 ? 'server error' : null));
  return words ? `${reason} ${words}` : reason;
}
