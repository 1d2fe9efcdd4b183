import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import { isPassingStripeError } from '@ledgerline/stripe';

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
}

/**
 * Calls Stripe, retrying passing failures with exponential backoff (Stripe's Retry-After when it
 * sends one). The caller passes the same idempotency key on every attempt, so a retry of a call
 * that did reach Stripe returns its first result instead of acting twice.
 */
export async function callStripe<T>(operation: string, policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isPassingStripeError(error) || attempt >= policy.maxAttempts) throw failure(operation, error, attempt);
      await sleep(backoffMs(error, attempt, policy.baseMs), undefined, { signal: policy.signal });
    }
  }
}

function backoffMs(error: unknown, attempt: number, baseMs: number): number {
  const header = error instanceof Stripe.errors.StripeError ? error.headers?.['retry-after'] : undefined;
  const retryAfter = Number(header);
  const exponential = Math.min(baseMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, MAX_BACKOFF_MS) : exponential;
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
