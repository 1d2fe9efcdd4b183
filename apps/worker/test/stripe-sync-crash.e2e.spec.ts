import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore, type RecordedEvent } from '@ledgerline/event-store';
import type { CustomerRegistered } from '@ledgerline/events';
import { READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import {
  buildOnce,
  createTestDatabase,
  eventually,
  runMigrations,
  startStripeServer,
  startUntil,
  stopProcess,
  STRIPE_TEST_API_KEY,
  type StripeTestServer,
  type TestDatabase,
  WORKER_MAIN,
} from '@ledgerline/testing';

const CUSTOMER_A = '4a1f0c9e-0000-4000-8000-00000000000a';
const CUSTOMER_B = '4a1f0c9e-0000-4000-8000-00000000000b';

/**
 * The process manager is killed (SIGKILL) in the two places that matter: after Stripe acted but
 * before the outcome was recorded, and between the command's append and the Stripe call. Restarted,
 * it leaves exactly one Stripe customer per command.
 */
describe('the Stripe process manager survives SIGKILL', () => {
  let database: TestDatabase;
  let stripeServer: StripeTestServer;
  let store: PostgresEventStore;

  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('stripe_sync_crash');
    await runMigrations(database.url, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
    stripeServer = await startStripeServer();
    store = new PostgresEventStore({ connectionString: database.url });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await stripeServer?.close();
    await database?.drop();
  });

  const env = () => ({
    DATABASE_URL: database.url,
    STRIPE_API_KEY: STRIPE_TEST_API_KEY,
    STRIPE_API_BASE: stripeServer.url,
  });

  async function register(customerId: string, firstName: string): Promise<string> {
    const data: CustomerRegistered = {
      customerId,
      details: { firstName, lastName: 'Crash', email: null, phone: null, address: null },
    };
    const result = await store.append(
      `customer-${customerId}`,
      [
        {
          type: 'CustomerRegistered',
          data,
          metadata: { source: 'platform', actor: 'support-tester', occurredAt: new Date().toISOString() },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    return result.events[0]!.id;
  }

  const customersNamed = async (customerId: string) =>
    (await stripeServer.listCustomers()).filter((c) => c.metadata.ledgerline_customer_id === customerId);

  async function outcome(customerId: string, commandEventId: string): Promise<RecordedEvent> {
    let found: RecordedEvent | undefined;
    await eventually(
      async () => {
        found = (await store.readStream(`customer-${customerId}`)).find(
          (e) => e.metadata.causationId === commandEventId,
        );
        return found !== undefined;
      },
      30_000,
      `the outcome of ${commandEventId}`,
    );
    return found!;
  }

  it('after Stripe acted and before the outcome was recorded: the replayed call returns the same customer', async () => {
    const eventA = await register(CUSTOMER_A, 'Ada');
    const key = `ledgerline-${eventA}-create`;
    // Stripe creates the customer, but the worker never hears back: it is killed while it waits.
    stripeServer.dropNext({ method: 'POST', path: '/v1/customers', when: 'never' });
    const first = await startUntil(WORKER_MAIN, env(), /worker running/);
    await eventually(
      async () =>
        stripeServer
          .requests({ method: 'POST', path: '/v1/customers' })
          .some((r) => r.idempotencyKey === key && r.status === 200),
      30_000,
      'the Stripe call to be made',
    );
    await stopProcess(first.child, 'SIGKILL');
    expect(await customersNamed(CUSTOMER_A)).toHaveLength(1);

    // Appended while no worker runs: between the append and the Stripe call.
    const eventB = await register(CUSTOMER_B, 'Bob');

    const second = await startUntil(WORKER_MAIN, env(), /worker running/);
    try {
      const linkedA = await outcome(CUSTOMER_A, eventA);
      const linkedB = await outcome(CUSTOMER_B, eventB);
      expect(linkedA.type).toBe('CustomerLinkedToStripe');
      expect(linkedB.type).toBe('CustomerLinkedToStripe');

      const [a] = await customersNamed(CUSTOMER_A);
      expect(await customersNamed(CUSTOMER_A)).toHaveLength(1);
      expect(await customersNamed(CUSTOMER_B)).toHaveLength(1);
      expect((linkedA.data as { stripeCustomerId: string }).stripeCustomerId).toBe(a!.id);
      const calls = stripeServer
        .requests({ method: 'POST', path: '/v1/customers' })
        .filter((r) => r.idempotencyKey === key);
      expect(calls.map((r) => r.replayed)).toEqual([false, true]);
      // One outcome each, however often the events were handled.
      const streamA = await store.readStream(`customer-${CUSTOMER_A}`);
      expect(streamA.map((e) => e.type)).toEqual(['CustomerRegistered', 'CustomerLinkedToStripe']);
    } finally {
      await stopProcess(second.child, 'SIGTERM');
    }
  }, 180_000);
});
