import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import type { CustomerRecords, ReadModelLookups } from '@ledgerline/commands';
import { createDataSource } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore, type RecordedEvent } from '@ledgerline/event-store';
import { currentSchemaVersion, paymentStream, type RefundRequested } from '@ledgerline/events';
import { ProjectionStore } from '@ledgerline/projections';
import {
  latestStripeSync,
  outboundSync,
  StripeSync1764000000900,
  StripeSyncAttempts1764000003100,
  StripeSyncProjector,
  StripeSyncRefunds1764000002910,
} from '@ledgerline/read-models';
import { createStripeClient } from '@ledgerline/stripe';
import {
  createTestDatabase,
  eventually,
  runMigrations,
  startStripeServer,
  STRIPE_TEST_API_KEY,
  type StripeTestServer,
  type TestDatabase,
} from '@ledgerline/testing';
import { AttemptsTableRecorder } from './retry-recorder';
import { StripeSync, type StripeSyncOptions, type StripeSyncRetry } from './stripe-sync';

/**
 * The outbound sync against the Stripe test server over real HTTP, through the production client
 * (createStripeClient: the SDK retries nothing itself): it retries exactly what Stripe says may be
 * retried (decision 0020).
 */
describe('the Stripe sync retries what Stripe says may be retried, and nothing else', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let server: StripeTestServer;
  let stripe: Stripe;
  let retries: StripeSyncRetry[];
  let logs: string[];

  /** One worker's process manager: its own SDK client, as the production worker builds it. */
  const worker = (options: Partial<StripeSyncOptions> = {}) =>
    new StripeSync(
      store,
      createStripeClient({ apiKey: STRIPE_TEST_API_KEY, apiBase: server.url }),
      // Refunds need neither: they act on the command event alone.
      {} as CustomerRecords,
      {} as ReadModelLookups,
      {
        maxAttempts: 3,
        retryBaseMs: 20,
        onRetry: (retry) => retries.push(retry),
        log: (message) => logs.push(message),
        ...options,
      },
    );

  /** A charge in Stripe and support's RefundRequested for part of it, as the refund handler stores it. */
  async function refundRequested(): Promise<{ event: RecordedEvent; charge: Stripe.Charge }> {
    const charge = await stripe.charges.create({ amount: 4000, currency: 'usd', source: 'tok_visa' });
    const data: RefundRequested = {
      paymentId: charge.id,
      refundRequestId: randomUUID(),
      chargeId: charge.id,
      paymentIntentId: null,
      customerId: null,
      amount: 1500,
      currency: 'usd',
      reason: 'requested_by_customer',
    };
    const stream = paymentStream(charge.id);
    await store.append(stream, [
      {
        type: 'RefundRequested',
        data: { ...data },
        metadata: {
          source: 'platform',
          actor: 'support:retry-test',
          correlationId: randomUUID(),
          schemaVersion: currentSchemaVersion('RefundRequested', 'platform'),
        },
      },
    ]);
    const [event] = await store.readStream(stream);
    return { event: event!, charge };
  }

  const refundsOf = async (charge: Stripe.Charge) => (await stripe.refunds.list({ charge: charge.id })).data;
  /** Every request the command's refund call made to Stripe, in order: its one key on each. */
  const attemptsOf = (event: RecordedEvent) =>
    server
      .requests({ method: 'POST', path: '/v1/refunds' })
      .filter((request) => request.idempotencyKey === `ledgerline-${event.id}-refund`);
  const outcomesOf = async (event: RecordedEvent) =>
    (await store.readStream(event.stream)).filter((candidate) => candidate.metadata.causationId === event.id);
  /** The command and its outcomes in the stripe_sync read model, as the worker's projector writes them. */
  const project = async (events: RecordedEvent[]) =>
    new ProjectionStore(dataSource).transaction((tx) => new StripeSyncProjector().applyBatch(events, tx));
  /** Where the command stands as GET /payments/:id and the other records' answers say it. */
  const recordSync = (event: RecordedEvent) =>
    latestStripeSync(dataSource, [event.stream], outboundSync(STRIPE_TEST_API_KEY));
  const attemptRows = (): Promise<Record<string, unknown>[]> =>
    dataSource.query(`SELECT command_event_id, attempt, reason, next_attempt_at - last_attempt_at AS wait
                        FROM stripe_sync_attempts`);

  beforeAll(async () => {
    database = await createTestDatabase('stripe_sync_retries');
    await runMigrations(database.url, [
      ...EVENT_STORE_MIGRATIONS,
      StripeSync1764000000900,
      StripeSyncRefunds1764000002910,
      StripeSyncAttempts1764000003100,
    ]);
    dataSource = await createDataSource(database.url, []).initialize();
    store = new PostgresEventStore({ connectionString: database.url });
    server = await startStripeServer();
    stripe = server.stripe();
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await dataSource?.destroy();
    await database?.drop();
  });
  beforeEach(() => {
    server.reset();
    retries = [];
    logs = [];
  });

  it('retries a 409 lock_timeout with the same key: one refund in Stripe, synced after 2 attempts', async () => {
    const { event, charge } = await refundRequested();
    server.failNext({ method: 'POST', path: '/v1/refunds', status: 409 });

    const outcome = await worker().carryOut(event);

    expect(outcome?.type).toBe('RefundLinkedToStripe');
    expect(attemptsOf(event).map((request) => [request.status, request.fault])).toEqual([
      [409, 'fail'],
      [200, null],
    ]);
    const refunds = await refundsOf(charge);
    expect(refunds.map((refund) => refund.id)).toEqual([(outcome!.data as { stripeRefundId: string }).stripeRefundId]);
    expect(retries).toEqual([
      {
        commandEventId: event.id,
        operation: 'POST /v1/refunds',
        attempt: 1,
        delayMs: expect.any(Number),
        reason: '409',
      },
    ]);
    expect((await outcomesOf(event)).map((recorded) => recorded.type)).toEqual(['RefundLinkedToStripe']);
    // The retry is logged with its reason, and nothing of the request (the charge, its parameters).
    const [retried] = logs;
    expect(retried).toMatch(
      new RegExp(
        `^RefundRequested ${event.id}: POST /v1/refunds failed \\(409\\), retrying in \\d+\\.\\d s \\(attempt 2\\)$`,
      ),
    );
    expect(logs.join('\n')).not.toMatch(new RegExp(`${charge.id}|requested_by_customer`));
  });

  it('does not retry a 500 that Stripe marks Stripe-Should-Retry: false: failed after 1 attempt', async () => {
    const { event, charge } = await refundRequested();
    server.failNext({
      method: 'POST',
      path: '/v1/refunds',
      status: 500,
      times: 3,
      headers: { 'stripe-should-retry': 'false' },
    });

    const outcome = await worker().carryOut(event);

    expect(outcome).toMatchObject({
      type: 'StripeSyncFailed',
      data: { commandEventId: event.id, operation: 'POST /v1/refunds', statusCode: 500, attempts: 1 },
    });
    expect(attemptsOf(event).map((request) => request.status)).toEqual([500]);
    expect(retries).toEqual([]);
    expect(await refundsOf(charge)).toEqual([]);
    const [recorded] = await outcomesOf(event);
    expect(recorded).toMatchObject({ type: 'StripeSyncFailed', data: { attempts: 1, statusCode: 500 } });
  });

  it('retries a 400 that Stripe marks Stripe-Should-Retry: true', async () => {
    const { event, charge } = await refundRequested();
    server.failNext({ method: 'POST', path: '/v1/refunds', status: 400, headers: { 'stripe-should-retry': 'true' } });

    const outcome = await worker().carryOut(event);

    expect(outcome?.type).toBe('RefundLinkedToStripe');
    expect(attemptsOf(event).map((request) => request.status)).toEqual([400, 200]);
    expect(retries.map((retry) => [retry.attempt, retry.reason])).toEqual([[1, '400']]);
    expect(await refundsOf(charge)).toHaveLength(1);
  });

  it('meets a 429 burst with four workers at once: all succeed, nothing twice, retries spread in time', async () => {
    const commands = await Promise.all([1, 2, 3, 4].map(() => refundRequested()));
    // Once per key: a retry drawn near 0 ms can reach the server before a slower worker's first request.
    server.failNext({
      method: 'POST',
      path: '/v1/refunds',
      status: 429,
      times: commands.length,
      oncePerIdempotencyKey: true,
    });

    // Four workers, each carrying out its command at the same moment; a 2 s backoff window.
    const outcomes = await Promise.all(commands.map(({ event }) => worker({ retryBaseMs: 2_000 }).carryOut(event)));

    expect(outcomes.map((outcome) => outcome?.type)).toEqual(Array(4).fill('RefundLinkedToStripe'));
    // No duplicates: one refund per charge, and each command's key made it once.
    for (const { event, charge } of commands) {
      expect(await refundsOf(charge)).toHaveLength(1);
      expect(attemptsOf(event).map((request) => request.status)).toEqual([429, 200]);
    }
    // Each worker's wait between its 429 and its retry, as Stripe saw it. Full jitter draws them
    // from [0, 2 s]: four of them lie within 50 ms of each other once in 16,000 runs. A fixed
    // backoff had them all at 2 s, within 10 ms of each other.
    const waits = commands.map(({ event }) => {
      const [limited, retried] = attemptsOf(event);
      return retried!.receivedAt.getTime() - limited!.receivedAt.getTime();
    });
    expect(Math.max(...waits) - Math.min(...waits)).toBeGreaterThanOrEqual(50);
    expect(retries.map((retry) => retry.reason)).toEqual(['429', '429', '429', '429']);
    expect(new Set(retries.map((retry) => retry.delayMs)).size).toBeGreaterThan(1);
  });

  it('records the retry it waits out where the API reads it (retrying), and deletes it once synced', async () => {
    const { event } = await refundRequested();
    await project([event]);
    const recorder = new AttemptsTableRecorder(dataSource, (message) => logs.push(message));
    // Stripe's Retry-After holds the retry for a second: time to look while the worker waits.
    server.failNext({ method: 'POST', path: '/v1/refunds', status: 429, headers: { 'retry-after': '1' } });

    const carriedOut = worker({ retries: recorder }).carryOut(event);

    await eventually(async () => (await attemptRows()).length > 0, 5_000, 'the retry recorded');
    const [row] = await attemptRows();
    expect(row).toMatchObject({ command_event_id: event.id, attempt: 2, reason: '429 rate limit' });
    expect((row!.wait as { seconds?: number }).seconds).toBeGreaterThanOrEqual(1);
    expect(await recordSync(event)).toMatchObject({
      state: 'retrying',
      attempts: 2,
      reason: '429 rate limit',
      nextAttemptAt: expect.any(String),
    });

    const outcome = await carriedOut;
    expect(outcome?.type).toBe('RefundLinkedToStripe');
    expect(await attemptRows()).toEqual([]);
    await project(await outcomesOf(event));
    expect(await recordSync(event)).toMatchObject({ state: 'synced', reason: null, nextAttemptAt: null });
  });

  it('deletes the row when the retries give up too, and records nothing for a call that needed none', async () => {
    const { event } = await refundRequested();
    // The statements the recorder sends: INSERT ... ON CONFLICT per retry, DELETE after the outcome.
    const recorded: string[] = [];
    const counting = {
      query: (sql: string, parameters?: unknown[]) => {
        recorded.push(sql.trim().split(/\s/)[0]!);
        return dataSource.query(sql, parameters);
      },
    };
    const recorder = new AttemptsTableRecorder(counting, (message) => logs.push(message));
    server.failNext({ method: 'POST', path: '/v1/refunds', status: 503, times: 3 });

    expect(await worker({ retries: recorder }).carryOut(event)).toMatchObject({ type: 'StripeSyncFailed' });
    expect(recorded).toEqual(['INSERT', 'INSERT', 'DELETE']);
    expect(await attemptRows()).toEqual([]);

    const { event: next } = await refundRequested();
    expect((await worker({ retries: recorder }).carryOut(next))?.type).toBe('RefundLinkedToStripe');
    expect(recorded).toHaveLength(3);
  });

  it('goes on with the Stripe call when the retry cannot be recorded, and logs why', async () => {
    const { event } = await refundRequested();
    const down = { query: () => Promise.reject(new Error('database down')) };
    server.failNext({ method: 'POST', path: '/v1/refunds', status: 409 });

    const outcome = await worker({
      retries: new AttemptsTableRecorder(down, (message) => logs.push(message)),
    }).carryOut(event);

    expect(outcome?.type).toBe('RefundLinkedToStripe');
    expect(logs).toContainEqual(expect.stringMatching(`could not record the retry of ${event.id} \\(database down\\)`));
  });
});
