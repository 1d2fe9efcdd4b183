import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  BACKFILL_TEST_CONFIG as CONFIG,
  type BackfillTestbed,
  startBackfillTestbed,
} from '../testing/backfill-testbed';
import { countOf, SMALL_ACCOUNT, stripeAccountObjects } from '../testing/stripe-account.fixture';

/** Rate limits, failures, stops and Connect accounts: each test on an account of its own. */
describe('executeBackfill when Stripe or the operator gets in the way', () => {
  let testbed: BackfillTestbed;
  let server: BackfillTestbed['server'];
  const run: BackfillTestbed['run'] = (ask, options) => testbed.run(ask, options);

  /** Distinct objects of an account stored as backfill events (by stream: one per object). */
  const storedStreams = async (account: string | null): Promise<Set<string>> => {
    const rows: { stream_name: string }[] = await testbed.dataSource.query(
      `SELECT DISTINCT stream_name FROM event_store.events WHERE metadata->>'source' = 'backfill'
          AND ($1::text IS NULL AND metadata->>'stripeAccount' IS NULL OR metadata->>'stripeAccount' = $1)`,
      [account],
    );
    return new Set(rows.map((row) => row.stream_name));
  };
  const eventCount = async (account: string): Promise<number> =>
    Number(
      (
        await testbed.dataSource.query(
          `SELECT count(*) AS n FROM event_store.events WHERE metadata->>'stripeAccount' = $1`,
          [account],
        )
      )[0].n,
    );

  beforeAll(async () => {
    testbed = await startBackfillTestbed('backfill_resume');
    server = testbed.server;
  });

  afterAll(() => testbed?.close());

  it('waits out 429s mid-run as Retry-After says, slows down, and loses nothing', async () => {
    const account = 'acct_ratelimited1';
    server.addConnectedAccount(account);
    server.seedObjects(stripeAccountObjects(SMALL_ACCOUNT, 'rl'), account);
    server.failNext({ method: 'GET', path: '/v1/invoices', status: 429, times: 2, headers: { 'retry-after': '1' } });
    const started = Date.now();
    const result = await run({ account });
    expect(result.status).toBe('done');
    expect(result.progress.find((row) => row.object === 'invoices')!.retries).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(result.totals.appended).toBe(countOf(SMALL_ACCOUNT));
    // Every request carried the account (Stripe-Account), never the platform's.
    expect(server.requests({ method: 'GET' }).every((request) => request.stripeAccount === account)).toBe(true);
    expect((await storedStreams(account)).size).toBe(countOf(SMALL_ACCOUNT));
  });

  it('retries what Stripe says may be retried (409, Stripe-Should-Retry: true), and not what it says not to', async () => {
    const account = 'acct_shouldretry1';
    server.addConnectedAccount(account);
    server.seedObjects(stripeAccountObjects(SMALL_ACCOUNT, 'sr'), account);
    server.reset();
    server.failNext({ method: 'GET', path: '/v1/customers', status: 409 });
    server.failNext({ method: 'GET', path: '/v1/customers', status: 400, headers: { 'stripe-should-retry': 'true' } });
    server.failNext({ method: 'GET', path: '/v1/charges', status: 500, headers: { 'stripe-should-retry': 'false' } });
    const result = await run({ account, objects: ['customers', 'charges'] });
    expect(result.status).toBe('failed');
    const customers = result.progress.find((row) => row.object === 'customers')!;
    expect(customers).toMatchObject({ done: true, retries: 2, fetched: SMALL_ACCOUNT.customers, error: null });
    const charges = result.progress.find((row) => row.object === 'charges')!;
    expect(charges).toMatchObject({ done: false, retries: 0, fetched: 0 });
    expect(charges.error).toMatch(/listing charges of acct_shouldretry1 failed after 1 attempt: 500 /);
    expect(server.requests({ method: 'GET', path: '/v1/charges' }).map((request) => request.status)).toEqual([500]);
    expect(server.requests({ method: 'GET', path: '/v1/customers' }).map((request) => request.status)).toEqual(
      expect.arrayContaining([409, 400, 200]),
    );
  });

  it('reports a failure that does not clear, goes on with the rest, and retries only that page next time', async () => {
    const account = 'acct_failing1';
    server.addConnectedAccount(account);
    server.seedObjects(stripeAccountObjects(SMALL_ACCOUNT, 'fl'), account);
    server.reset();
    // The second page of charges fails on every attempt.
    let chargePages = 0;
    const failed = await run(
      { account },
      {
        onProgress: (listing) => {
          if (listing.object === 'charges' && listing.fetched > 0 && chargePages++ === 0) {
            server.failNext({ method: 'GET', path: '/v1/charges', status: 500, times: CONFIG.maxAttempts });
          }
        },
      },
    );
    expect(failed.status).toBe('failed');
    const charges = failed.progress.find((row) => row.object === 'charges')!;
    expect(charges).toMatchObject({ done: false, fetched: 25 });
    expect(charges.error).toMatch(/listing charges of acct_failing1 failed after 3 attempts: 500/);
    expect(failed.error).toContain('charges of acct_failing1');
    // The listings after charges still ran.
    expect(failed.progress.filter((row) => row.object !== 'charges').every((row) => row.done)).toBe(true);

    server.reset();
    const retried = await run({ account });
    expect(retried).toMatchObject({ id: failed.id, resumed: true, status: 'done' });
    // Only the failed listing was listed again, from the page that failed.
    const lists = server.requests({ method: 'GET' }).filter((request) => !request.path.startsWith('/v1/account'));
    expect(lists.map((request) => request.path)).toEqual(['/v1/charges']);
    expect(lists[0]!.query.starting_after).toBe(charges.cursor);
    expect((await storedStreams(account)).size).toBe(countOf(SMALL_ACCOUNT));
  });

  it('stops at the next page when asked and resumes from the last committed page', async () => {
    const account = 'acct_stopped1';
    server.addConnectedAccount(account);
    server.seedObjects(stripeAccountObjects(SMALL_ACCOUNT, 'st'), account);
    server.reset();
    const abort = new AbortController();
    const stopped = await run(
      { account, objects: ['customers', 'subscriptions'] },
      {
        signal: abort.signal,
        onProgress: (listing) => listing.object === 'customers' && listing.fetched >= 50 && abort.abort(),
      },
    );
    expect(stopped.status).toBe('stopped');
    const customers = stopped.progress.find((row) => row.object === 'customers')!;
    expect(customers).toMatchObject({ done: false, fetched: 50 });

    server.reset();
    const resumed = await run({ account, objects: ['subscriptions', 'customers'] });
    expect(resumed).toMatchObject({ id: stopped.id, resumed: true, status: 'done' });
    const customerLists = server.requests({ method: 'GET', path: '/v1/customers' });
    expect(customerLists[0]!.query.starting_after).toBe(customers.cursor);
    expect(resumed.progress.find((row) => row.object === 'customers')!.fetched).toBe(SMALL_ACCOUNT.customers);
    expect((await storedStreams(account)).size).toBe(SMALL_ACCOUNT.customers + SMALL_ACCOUNT.subscriptions);
  });

  it('backfills every connected account with --account all, each into its own streams', async () => {
    const shape = { ...SMALL_ACCOUNT, customers: 30, subscriptions: 10 };
    for (const account of ['acct_all1', 'acct_all2']) {
      server.addConnectedAccount(account);
      server.seedObjects(stripeAccountObjects(shape, account.slice(-4)), account);
    }
    const before = { one: await eventCount('acct_all1'), two: await eventCount('acct_all2') };
    const result = await run({ account: 'all', objects: ['customers'] });
    expect(result.status).toBe('done');
    const accounts = result.progress.map((row) => row.account);
    expect(accounts).toEqual(expect.arrayContaining(['acct_all1', 'acct_all2']));
    expect(await eventCount('acct_all1')).toBe(before.one + 30);
    expect(await eventCount('acct_all2')).toBe(before.two + 30);
    expect(
      [...(await storedStreams('acct_all1'))].every((stream) => stream.startsWith('stripe_customer-acct_all1-')),
    ).toBe(true);
  });

  it('imports only objects created since the given date', async () => {
    const account = 'acct_since1';
    server.addConnectedAccount(account);
    const objects = stripeAccountObjects(SMALL_ACCOUNT, 'sn');
    server.seedObjects(objects, account);
    const customers = objects.filter((object) => object.object === 'customer');
    const since = customers[60]!.created as number;
    server.reset();
    const result = await run({ account, objects: ['customers'], since: new Date(since * 1000).toISOString() });
    expect(result.totals.appended).toBe(customers.filter((c) => (c.created as number) >= since).length);
    expect(server.requests({ method: 'GET', path: '/v1/customers' })[0]!.query.created).toEqual({ gte: String(since) });
  });
});
