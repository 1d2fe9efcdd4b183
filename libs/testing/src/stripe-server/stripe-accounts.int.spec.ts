import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { loadObjectFixture } from '../stripe-fixtures';
import { fixtureCopies } from './fixture-copies';
import { startStripeServer, type StripeTestServer } from './stripe-test-server';

describe('Stripe test server: accounts and rate limits', () => {
  let server: StripeTestServer;
  let stripe: Stripe;

  beforeEach(async () => {
    server = await startStripeServer();
    stripe = server.stripe();
  });

  afterEach(async () => {
    await server.close();
  });

  it('lists connected accounts on the platform, and answers /v1/account for either side', async () => {
    const platform = await stripe.accounts.retrieveCurrent();
    expect(platform).toMatchObject({ object: 'account', id: expect.stringMatching(/^acct_/), created: 100_000_000 });
    server.setPlatformAccount({ id: 'acct_platform', created: 1_500_000_000 });
    expect(await stripe.accounts.retrieveCurrent()).toMatchObject({ id: 'acct_platform', created: 1_500_000_000 });

    server.addConnectedAccount('acct_A');
    server.addConnectedAccount({ ...loadObjectFixture('account'), id: 'acct_B', created: 1_600_000_000 });
    expect((await stripe.accounts.list()).data.map((a) => [a.id, a.created])).toEqual([
      ['acct_B', 1_600_000_000],
      ['acct_A', 100_000_000],
    ]);
    expect((await stripe.accounts.list({ limit: 1, starting_after: 'acct_B' })).data.map((a) => a.id)).toEqual([
      'acct_A',
    ]);
    expect((await stripe.accounts.list({}, { stripeAccount: 'acct_A' })).data).toEqual([]);
    expect(await stripe.accounts.retrieve('acct_B')).toMatchObject({ id: 'acct_B', type: 'standard' });
    expect(await stripe.accounts.retrieveCurrent({}, { stripeAccount: 'acct_B' })).toMatchObject({
      id: 'acct_B',
      created: 1_600_000_000,
    });
    await expect(stripe.accounts.retrieve('acct_missing')).rejects.toMatchObject({
      statusCode: 404,
      message: "No such account: 'acct_missing'",
    });
    expect(() => server.addConnectedAccount('cus_1')).toThrow(/acct_/);
  });

  it('shows the SDK a 429 with Retry-After and Stripe-Should-Retry, and paging resumes after it', async () => {
    server.failNext({
      method: 'GET',
      path: '/v1/customers',
      status: 429,
      headers: { 'Retry-After': '3', 'Stripe-Should-Retry': 'false' },
    });
    const refused = await stripe.customers.list().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(refused).toMatchObject({
      statusCode: 429,
      code: 'rate_limit',
      requestId: expect.stringMatching(/^req_/),
      headers: expect.objectContaining({ 'retry-after': '3', 'stripe-should-retry': 'false' }),
    });

    // A backfill holds the last id it stored, and resumes after it once the limit has passed.
    server.seedObjects(fixtureCopies('customer', 150));
    const seen: string[] = [];
    const pages = stripe.customers.list({ limit: 100 });
    await expect(
      (async () => {
        for await (const customer of pages) {
          seen.push(customer.id);
          if (seen.length === 100) server.failNext({ path: '/v1/customers', status: 429 });
        }
      })(),
    ).rejects.toMatchObject({ statusCode: 429 });
    expect(seen).toHaveLength(100);
    for await (const customer of stripe.customers.list({ limit: 100, starting_after: seen[99] })) {
      seen.push(customer.id);
    }
    expect(new Set(seen).size).toBe(150);
  });

  it('lets the SDK retry a 429 that says Stripe-Should-Retry: true', async () => {
    server.failNext({
      path: '/v1/invoices',
      status: 429,
      headers: { 'retry-after': '0', 'stripe-should-retry': 'true' },
    });
    const retrying = server.stripe(undefined, { maxNetworkRetries: 1 });
    expect((await retrying.invoices.list()).data).toEqual([]);
    expect(server.requests({ path: '/v1/invoices' }).map((r) => [r.status, r.fault])).toEqual([
      [429, 'fail'],
      [200, null],
    ]);
  });
});
