import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDataSource } from '@ledgerline/database';
import type { PostgresEventStore } from '@ledgerline/event-store';
import { ProjectionStore } from '@ledgerline/projections';
import { AuditIndexProjector, customersProjector } from '@ledgerline/read-models';
import { buildOnce, createTestDatabase, type TestDatabase } from '@ledgerline/testing';
import { openStore, runCli, stripeEvent } from './cli-harness';

const ADA = '6a0d1f5e-3b2c-4d1e-8f70-9a8b7c6d5e4f';

describe('ledgerline audit', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('cli_audit');
    store = await openStore(database.url);
    const ada = {
      id: 'cus_ada',
      object: 'customer',
      email: 'ada@example.org',
      metadata: { ledgerline_customer_id: ADA },
    };
    const created = stripeEvent('customer.created', ada, 1_700_000_000);
    await store.append(created.stream, [created.event]);
    const invoice = stripeEvent(
      'invoice.created',
      { id: 'in_ada', object: 'invoice', customer: 'cus_ada', total: 900, currency: 'eur' },
      1_700_000_100,
    );
    await store.append(invoice.stream, [invoice.event]);
    await store.append(`customer-${ADA}`, [
      {
        type: 'CustomerDetailsChanged',
        data: {
          customerId: ADA,
          details: {
            firstName: 'Ada',
            lastName: 'Lovelace',
            email: 'ada@platform.example',
            phone: null,
            address: null,
          },
          changed: ['email'],
          stripeCustomerId: 'cus_ada',
        },
        metadata: {
          source: 'platform',
          actor: 'support-bo',
          occurredAt: '2026-01-02T03:04:05.000Z',
          correlationId: 'ticket-9',
        },
      },
    ]);
    const other = stripeEvent('customer.created', { id: 'cus_other', object: 'customer' }, 1_700_000_050);
    await store.append(other.stream, [other.event]);
    // The worker's part: the customers and audit index projectors over the store.
    const dataSource = await createDataSource(database.url, []).initialize();
    try {
      const { events } = await store.readAll({ maxCount: 100 });
      const projections = new ProjectionStore(dataSource);
      for (const projector of [customersProjector(), new AuditIndexProjector()]) {
        await projections.transaction((tx) => projector.applyBatch!(events, tx));
      }
    } finally {
      await dataSource.destroy();
    }
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('prints the customer trail from all its streams, oldest first, with actor and description', async () => {
    const result = await runCli(['audit', 'cus_ada'], database.url);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^2023-11-14T22:13:20Z\s+stripe:automatic\s+Customer created\s+\[stripe_customer-cus_ada@0 customer\.created\]$/,
    );
    expect(lines[1]).toMatch(/Invoice .*created .*\[stripe_invoice-in_ada@0 invoice\.created\]$/);
    expect(lines[2]).toMatch(/^2026-01-02T03:04:05Z\s+support-bo\s+Email changed by support-bo/);
    // The platform id gives the same trail; newest first reverses it.
    expect((await runCli(['audit', ADA], database.url)).stdout).toBe(result.stdout);
    const desc = await runCli(['audit', 'cus_ada', '--desc'], database.url);
    expect(desc.stdout.trim().split('\n')).toEqual([...lines].reverse());
  });

  it('prints one stream, and NDJSON with every field', async () => {
    const result = await runCli(['audit', `customer-${ADA}`, '--json'], database.url);
    expect(result.code).toBe(0);
    const [entry] = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entry).toMatchObject({
      type: 'CustomerDetailsChanged',
      actor: 'support-bo',
      correlationId: 'ticket-9',
      revision: 0,
    });
  });

  it('says so for an unknown id (exit 1) and a missing one (usage, exit 64)', async () => {
    const unknown = await runCli(['audit', 'cus_nobody'], database.url);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no customer and no stream "cus_nobody"');
    const missing = await runCli(['audit'], database.url);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain('name a customer');
  });
});
