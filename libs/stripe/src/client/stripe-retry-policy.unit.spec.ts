import { describe, expect, it, jest } from '@jest/globals';
import Stripe from 'stripe';
import {
  decideStripeRetry,
  isPassingStripeError,
  retryDelayMs,
  type StripeRetry,
  StripeRetriesFailed,
  withStripeRetries,
} from './stripe-retry-policy';

/** The SDK's own error classes, as its generateV1Error makes them of a response (a 409 is a StripeAPIError). */
function stripeError(statusCode: number, headers: Record<string, string> = {}, code?: string): Error {
  const raw = { message: `status ${statusCode}`, statusCode, headers, requestId: 'req_test', code };
  if (statusCode === 429) return new Stripe.errors.StripeRateLimitError(raw);
  if (statusCode >= 500 || statusCode === 409) return new Stripe.errors.StripeAPIError(raw);
  if (statusCode === 401) return new Stripe.errors.StripeAuthenticationError(raw);
  if (statusCode === 402) return new Stripe.errors.StripeCardError(raw);
  if (statusCode === 403) return new Stripe.errors.StripePermissionError(raw);
  return new Stripe.errors.StripeInvalidRequestError(raw);
}
const network = () => new Stripe.errors.StripeConnectionError({ message: 'socket hang up' });
const timeout = () =>
  new Stripe.errors.StripeConnectionError({ message: 'Request aborted due to timeout being reached (30000ms)' });
const idempotencyInFlight = () =>
  new Stripe.errors.StripeAPIError({
    type: 'idempotency_error',
    message: 'There is currently another in-progress request using this Stripe-Idempotency-Key.',
    statusCode: 409,
    headers: {},
  });

function failingThen<T>(errors: Error[], value: T): { call: () => Promise<T>; calls: () => number } {
  let calls = 0;
  return {
    call: async () => {
      calls += 1;
      const error = errors[calls - 1];
      if (error) throw error;
      return value;
    },
    calls: () => calls,
  };
}

describe('decideStripeRetry: what Stripe says may be retried', () => {
  const SHOULD = { 'stripe-should-retry': 'true' };
  const SHOULD_NOT = { 'stripe-should-retry': 'false' };
  it.each([
    // [what, retry, rule, reason, error]
    ['409 lock_timeout', true, 'conflict', '409', stripeError(409, {}, 'lock_timeout')],
    ['409 idempotency key in flight', true, 'conflict', '409', idempotencyInFlight()],
    ['429', true, 'rate-limited', '429', stripeError(429)],
    ['500', true, 'server-error', '500', stripeError(500)],
    ['502', true, 'server-error', '502', stripeError(502)],
    ['503', true, 'server-error', '503', stripeError(503)],
    ['a network error', true, 'network', 'network', network()],
    ['a timeout', true, 'network', 'network', timeout()],
    ['400', false, 'final', '400', stripeError(400)],
    ['401', false, 'final', '401', stripeError(401)],
    ['402 (a card declined)', false, 'final', '402', stripeError(402)],
    ['403', false, 'final', '403', stripeError(403)],
    ['404', false, 'final', '404', stripeError(404)],
    ['a StripeError without a status', false, 'final', 'error', new Stripe.errors.StripeError({ message: 'x' })],
    ['an error that is not Stripe', false, 'final', 'error', new TypeError('bug')],
    ['a string thrown', false, 'final', 'error', 'nope'],
    // Stripe-Should-Retry overrides the status, both ways.
    ['500 with Stripe-Should-Retry: false', false, 'stripe-should-retry: false', '500', stripeError(500, SHOULD_NOT)],
    ['503 with Stripe-Should-Retry: false', false, 'stripe-should-retry: false', '503', stripeError(503, SHOULD_NOT)],
    ['409 with Stripe-Should-Retry: false', false, 'stripe-should-retry: false', '409', stripeError(409, SHOULD_NOT)],
    ['429 with Stripe-Should-Retry: false', false, 'stripe-should-retry: false', '429', stripeError(429, SHOULD_NOT)],
    ['400 with Stripe-Should-Retry: true', true, 'stripe-should-retry: true', '400', stripeError(400, SHOULD)],
    ['404 with Stripe-Should-Retry: true', true, 'stripe-should-retry: true', '404', stripeError(404, SHOULD)],
    ['429 with Stripe-Should-Retry: true', true, 'stripe-should-retry: true', '429', stripeError(429, SHOULD)],
    ['an unknown header value', false, 'final', '400', stripeError(400, { 'stripe-should-retry': 'maybe' })],
  ])('%s: retry %s (%s, reason %s)', (_what, retry, rule, reason, error) => {
    expect(decideStripeRetry(error)).toEqual({ retry, rule, reason });
    expect(isPassingStripeError(error)).toBe(retry);
  });
});

describe('retryDelayMs: full-jitter exponential backoff, Retry-After as a floor', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };

  it('draws from [0, min(cap, base * 2^(attempt-1))]', () => {
    const unavailable = stripeError(503);
    for (const [attempt, window] of [
      [1, 100],
      [2, 200],
      [3, 400],
      [4, 800],
      [5, 1_000],
      [12, 1_000],
    ] as const) {
      expect(retryDelayMs(unavailable, attempt, { ...options, random: () => 0 })).toBe(0);
      expect(retryDelayMs(unavailable, attempt, { ...options, random: () => 0.999999 })).toBe(window);
      expect(retryDelayMs(unavailable, attempt, { ...options, random: () => 0.5 })).toBe(
        Math.floor(0.5 * (window + 1)),
      );
      const delays = Array.from({ length: 200 }, () => retryDelayMs(unavailable, attempt, options));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThanOrEqual(window);
      expect(delays.every(Number.isInteger)).toBe(true);
    }
  });

  it('spreads callers out: the delays of callers that failed together are not all equal', () => {
    const limited = stripeError(429);
    const delays = Array.from({ length: 50 }, () => retryDelayMs(limited, 1, { baseDelayMs: 10_000 }));
    expect(new Set(delays).size).toBeGreaterThan(40);
    const mean = delays.reduce((sum, delay) => sum + delay, 0) / delays.length;
    // Uniform over [0, 10 s]: the mean of 50 draws is 5 s give or take 0.4 s (one standard error).
    expect(mean).toBeGreaterThan(2_500);
    expect(mean).toBeLessThan(7_500);
  });

  it("waits at least Stripe's Retry-After (capped), plus the jittered backoff", () => {
    const retryAfter = (seconds: string) => stripeError(429, { 'retry-after': seconds });
    expect(retryDelayMs(retryAfter('2'), 1, { ...options, random: () => 0 })).toBe(2_000);
    expect(retryDelayMs(retryAfter('2'), 1, { ...options, random: () => 0.999999 })).toBe(2_100);
    expect(retryDelayMs(retryAfter('0.5'), 3, { ...options, random: () => 0 })).toBe(500);
    expect(retryDelayMs(retryAfter('3600'), 1, { ...options, random: () => 0 })).toBe(5_000);
    expect(retryDelayMs(retryAfter('3600'), 1, { baseDelayMs: 1, random: () => 0 })).toBe(60_000);
    // Nonsense is ignored: backoff alone.
    for (const nonsense of ['', 'soon', '-1', 'Infinity']) {
      expect(retryDelayMs(retryAfter(nonsense), 1, { ...options, random: () => 0 })).toBe(0);
    }
  });
});

describe('withStripeRetries', () => {
  it('retries what the policy allows, reporting each attempt with its reason, then returns the answer', async () => {
    const { call, calls } = failingThen(
      [
        stripeError(409, {}, 'lock_timeout'),
        stripeError(429),
        stripeError(503),
        network(),
        stripeError(400, { 'stripe-should-retry': 'true' }),
      ],
      'refund',
    );
    const retries: StripeRetry[] = [];
    const result = await withStripeRetries('POST /v1/refunds', call, {
      maxAttempts: 6,
      baseDelayMs: 1,
      onRetry: (retry) => retries.push(retry),
    });
    expect(result).toBe('refund');
    expect(calls()).toBe(6);
    expect(retries.map((retry) => [retry.attempt, retry.reason])).toEqual([
      [1, '409'],
      [2, '429'],
      [3, '503'],
      [4, 'network'],
      [5, '400'],
    ]);
  });

  it('fails at once on a final answer and when Stripe says not to retry', async () => {
    for (const error of [stripeError(400), stripeError(404), stripeError(500, { 'stripe-should-retry': 'false' })]) {
      const { call, calls } = failingThen([error], 'never');
      const onRetry = jest.fn();
      const failure = await withStripeRetries('call', call, { maxAttempts: 5, baseDelayMs: 1, onRetry }).catch(
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(StripeRetriesFailed);
      expect(failure).toMatchObject({ attempts: 1, cause: error });
      expect(calls()).toBe(1);
      expect(onRetry).not.toHaveBeenCalled();
    }
  });

  it('gives up after maxAttempts with the last failure and the attempts made', async () => {
    const errors = [stripeError(500), stripeError(502), stripeError(503)];
    const { call, calls } = failingThen(errors, 'never');
    const failure = (await withStripeRetries('listing customers', call, { maxAttempts: 3, baseDelayMs: 1 }).catch(
      (e: unknown) => e,
    )) as StripeRetriesFailed;
    expect(calls()).toBe(3);
    expect(failure).toMatchObject({ attempts: 3, cause: errors[2], decision: { retry: true, reason: '503' } });
    expect(failure.message).toBe('listing customers failed after 3 attempts: 503');
  });

  it('calls the pacing hooks: before every attempt, on a 429 with the wait, on success', async () => {
    const { call } = failingThen([stripeError(429, { 'retry-after': '0' }), stripeError(503)], 'page');
    const seen: string[] = [];
    await withStripeRetries('listing', call, {
      maxAttempts: 3,
      baseDelayMs: 4,
      random: () => 0.5,
      beforeAttempt: () => void seen.push('take'),
      onRateLimited: (delayMs) => seen.push(`rateLimited ${delayMs}`),
      onRetry: (retry) => seen.push(`retry ${retry.reason} ${retry.delayMs}`),
      onSuccess: () => seen.push('succeeded'),
    });
    expect(seen).toEqual(['take', 'rateLimited 2', 'retry 429 2', 'take', 'retry 503 4', 'take', 'succeeded']);
  });

  it('stops waiting when aborted, and makes no attempt once aborted', async () => {
    const { call, calls } = failingThen([stripeError(503), stripeError(503)], 'never');
    const abort = new AbortController();
    const started = Date.now();
    const pending = withStripeRetries('call', call, {
      maxAttempts: 5,
      baseDelayMs: 60_000,
      random: () => 1,
      signal: abort.signal,
      onRetry: () => setImmediate(() => abort.abort(new Error('lease lost'))),
    });
    await expect(pending).rejects.toThrow('lease lost');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(calls()).toBe(1);
    await expect(
      withStripeRetries('call', call, { maxAttempts: 5, baseDelayMs: 1, signal: abort.signal }),
    ).rejects.toThrow('lease lost');
    expect(calls()).toBe(1);
  });
});
