import { describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { pacedStripeCall, StripeRequestFailed, type StripeRetry } from './paced-stripe-call';
import { RequestPacer } from './request-pacer';

/** The SDK's own error classes, shaped as it raises them from a response. */
function stripeError(statusCode: number, headers: Record<string, string> = {}): Error {
  const raw = { message: `status ${statusCode}`, statusCode, headers, requestId: 'req_test' };
  if (statusCode === 429) return new Stripe.errors.StripeRateLimitError(raw);
  if (statusCode >= 500 || statusCode === 409) return new Stripe.errors.StripeAPIError(raw);
  if (statusCode === 404 || statusCode === 400) return new Stripe.errors.StripeInvalidRequestError(raw);
  return new Stripe.errors.StripePermissionError(raw);
}

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

describe('pacedStripeCall', () => {
  it('retries 409, 429, 5xx, network errors and what Stripe marks retryable, then returns the answer', async () => {
    const network = new Stripe.errors.StripeConnectionError({ message: 'socket hang up' });
    const { call, calls } = failingThen(
      [
        stripeError(409),
        stripeError(429),
        stripeError(503),
        network,
        stripeError(400, { 'stripe-should-retry': 'true' }),
      ],
      'page',
    );
    const retries: StripeRetry[] = [];
    const result = await pacedStripeCall('listing', call, {
      pacer: new RequestPacer(100),
      maxAttempts: 6,
      backoffBaseMs: 1,
      onRetry: (retry) => retries.push(retry),
    });
    expect(result).toBe('page');
    expect(calls()).toBe(6);
    expect(retries.map((retry) => retry.reason)).toEqual(['409', '429', '503', 'network', '400']);
  });

  it("waits at least as long as Stripe's Retry-After says, and slows the pace after a 429", async () => {
    const { call } = failingThen([stripeError(429, { 'retry-after': '1' })], 'page');
    const pacer = new RequestPacer(20);
    const retries: StripeRetry[] = [];
    const started = Date.now();
    await pacedStripeCall('listing', call, {
      pacer,
      maxAttempts: 3,
      backoffBaseMs: 1,
      onRetry: (r) => retries.push(r),
    });
    // Retry-After, plus a jittered backoff of at most backoffBaseMs.
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(1000);
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(1001);
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(pacer.pace).toBeLessThan(20);
  });

  it('fails at once on a request that repeating cannot fix, and when Stripe says not to retry', async () => {
    for (const error of [stripeError(404), stripeError(403), stripeError(503, { 'stripe-should-retry': 'false' })]) {
      const { call, calls } = failingThen([error], 'never');
      const failure = await pacedStripeCall('listing', call, { pacer: new RequestPacer(100), maxAttempts: 5 }).catch(
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(StripeRequestFailed);
      expect(calls()).toBe(1);
    }
  });

  it('reports a failure that does not clear, with the attempts and the Stripe request id', async () => {
    const { call, calls } = failingThen([stripeError(500), stripeError(500), stripeError(500)], 'never');
    const failure = (await pacedStripeCall('listing customers', call, {
      pacer: new RequestPacer(100),
      maxAttempts: 3,
      backoffBaseMs: 1,
    }).catch((e: unknown) => e)) as StripeRequestFailed;
    expect(calls()).toBe(3);
    expect(failure.attempts).toBe(3);
    expect(failure.message).toMatch(/^listing customers failed after 3 attempts: 500 .*\(Stripe request req_test\)$/);
  });

  it('spaces requests to the configured pace', async () => {
    const pacer = new RequestPacer(50);
    const started = Date.now();
    for (let i = 0; i < 11; i += 1) await pacer.take();
    // 11 requests at 50/s: the last starts 10 intervals of 20 ms after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
  });
});
