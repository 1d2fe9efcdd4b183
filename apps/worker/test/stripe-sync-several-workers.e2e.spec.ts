import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@ledgerline/event-store';
import type { CustomerRegistered } from '@ledgerline/events';
import { READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import {
  buildOnce,
  createTestDatabase,
  eventually,
  type RunningProcess,
  runMigrations,
  startStripeServer,
  startUntil,
  stopProcess,
  STRIPE_TEST_API_KEY,
  type StripeTestServer,
  type TestDatabase,
  WORKER_MAIN,
} from '@ledgerline/testing';

const CUSTOMERS = 30;

/**
 * Three workers, one of them carrying commands out on Stripe at a time; the one doing it is killed
 * halfway. Every command reaches Stripe, and Stripe acts once per command: a call repeated by the
 * next owner carries the same idempotency key and is answered as a replay.
 */
describe('outbound Stripe sync with several workers', () => {
  let database: TestDatabase;
  let stripeServer: StripeTestServer;
  let store: PostgresEventStore;
  let client: Client;
  const workers: RunningProcess[] = [];

  const start = async (): Promise<RunningProcess> => {
    const env = { DATABASE_URL: database.url, STRIPE_API_KEY: STRIPE_TEST_API_KEY, STRIPE_API_BASE: stripeServer.url };
    const worker = await startUntil(WORKER_MAIN, env, /worker running .* as \S+;/);
    workers.push(worker);
    return worker;
  };
  const register = async (customerId: string): Promise<void> => {
    const data: CustomerRegistered = {
      customerId,
      details: { firstName: 'Many', lastName: 'Workers', email: null, phone: null, address: null },
    };
    const metadata = { source: 'platform' as const, actor: 'support-tester', occurredAt: new Date().toISOString() };
    await store.append(`customer-${customerId}`, [{ type: 'CustomerRegistered', data, metadata }], {
      expectedRevision: 'no_stream',
    });
  };

  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('stripe_sync_workers');
    await runMigrations(database.url, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
    stripeServer = await startStripeServer();
    store = new PostgresEventStore({ connectionString: database.url });
    client = new Client({ connectionString: database.url });
    await client.connect();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => stopProcess(worker.child, 'SIGTERM')));
    await Promise.all([store?.close(), client?.end(), stripeServer?.close()]);
    await database?.drop();
  });

  it('carries every command out once, across a kill of the worker doing it', async () => {
    await Promise.all([start(), start(), start()]);
    const ids = Array.from({ length: CUSTOMERS }, () => randomUUID());
    for (const id of ids.slice(0, CUSTOMERS / 2)) await register(id);
    await eventually(async () => (await stripeServer.listCustomers()).length > 0, 30_000, 'the first Stripe calls');

    const { rows } = await client.query<{ owner: string }>(
      `SELECT owner FROM workers.leases WHERE unit = 'stripe-sync'`,
    );
    const owner = workers.find((worker) => worker.output().includes(`as ${rows[0]!.owner};`))!;
    expect(owner).toBeDefined();
    await stopProcess(owner.child, 'SIGKILL');
    workers.splice(workers.indexOf(owner), 1);
    for (const id of ids.slice(CUSTOMERS / 2)) await register(id);

    const linked = async () =>
      (
        await client.query<{ count: string }>(
          `SELECT count(*) FROM event_store.events WHERE type = 'CustomerLinkedToStripe'`,
        )
      ).rows[0]!.count;
    await eventually(async () => (await linked()) === String(CUSTOMERS), 60_000, 'every customer linked');

    const created = await stripeServer.listCustomers();
    const byCommand = new Map<string, number>();
    for (const customer of created) {
      const id = customer.metadata.ledgerline_customer_id!;
      byCommand.set(id, (byCommand.get(id) ?? 0) + 1);
    }
    expect([...byCommand.keys()].sort()).toEqual([...ids].sort());
    expect([...byCommand.values()].every((count) => count === 1)).toBe(true);
    const acted = stripeServer
      .requests({ method: 'POST', path: '/v1/customers' })
      .filter((r) => r.status === 200 && !r.replayed);
    expect(new Set(acted.map((r) => r.idempotencyKey)).size).toBe(acted.length);
  }, 180_000);
});
