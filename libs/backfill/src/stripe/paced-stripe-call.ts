import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import { isPassingStripeError } from '@ledgerline/stripe';
import type { RequestPacer } from './request-pacer';

export interface PacedCallOptions {
  pacer: RequestPacer;
  /** Attempts before a retryable failure is given up on (and reported). */
  maxAttempts: number;
  signal?: AbortSignal;
  /** First backoff; doubles per attempt up to 30 s. Stripe's `Retry-After` takes precedence. */
  backoffBaseMs?: number;
  onRetry?(retry: StripeRetry): void;
}

export interface StripeRetry {
  attempt: number;
  delayMs: number;
  /** `429`, `503`, `network`: what went wrong, without anything of the request or its data. */
  reason: string;
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
  statusCode?: number;
  message?: string;
  requestId?: string;
  headers?: Record<string, string | undefined>;
}

const MAX_BACKOFF_MS = 30_000;
/** Longer Retry-After values are capped: a backfill that sleeps for an hour looks hung. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Runs one Stripe request at the pacer's pace. 429s, 5xx and network errors are retried with
 * exponential backoff (Stripe's `Retry-After` when it sends one; `Stripe-Should-Retry: false` is
 * obeyed); anything else (400, 401, 403, 404) fails at once, since repeating it cannot help.
 */
export async function pacedStripeCall<T>(what: string, call: () => Promise<T>, options: PacedCallOptions): Promise<T> {
  const base = options.backoffBaseMs ?? 500;
  for (let attempt = 1; ; attempt += 1) {
    options.signal?.throwIfAborted();
    await options.pacer.take(options.signal);
    try {
      const result = await call();
      options.pacer.succeeded();
      return result;
    } catch (error) {
      const failure = error as StripeErrorLike;
      const status = typeof failure.statusCode === 'number' ? failure.statusCode : null;
      const network = error instanceof Stripe.errors.StripeConnectionError;
      const reason = network ? 'network error' : `${status ?? 'error'} ${failure.message ?? String(error)}`;
      const retryable = isPassingStripeError(error) && header(failure, 'stripe-should-retry') !== 'false';
      if (!retryable || attempt >= options.maxAttempts) {
        throw new StripeRequestFailed(what, reason, attempt, failure.requestId ?? null, error);
      }
      const retryAfter = Number(header(failure, 'retry-after'));
      const backoff = Math.min(MAX_BACKOFF_MS, base * 2 ** (attempt - 1));
      const delayMs =
        Number.isFinite(retryAfter) && retryAfter >= 0
          ? Math.min(MAX_RETRY_AFTER_MS, retryAfter * 1000)
          : Math.round(backoff / 2 + (Math.random() * backoff) / 2);
      if (status === 429) options.pacer.rateLimited(delayMs);
      options.onRetry?.({ attempt, delayMs, reason: network ? 'network' : String(status) });
      await sleep(delayMs, undefined, { signal: options.signal });
    }
  }
}

function header(error: StripeErrorLike, name: string): string | undefined {
  const value = error.headers?.[name];
  return typeof value === 'string' ? value : undefined;
}
