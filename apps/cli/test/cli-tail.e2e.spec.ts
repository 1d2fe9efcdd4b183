import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PostgresEventStore } from '@ledgerline/event-store';
import { buildOnce, createTestDatabase, type TestDatabase } from '@ledgerline/testing';
import { openStore, runCli, spawnCli, stripeEvent } from './cli-harness';

describe('ledgerline tail', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const append = async ({ stream, event }: ReturnType<typeof stripeEvent>) =>
    (await store.append(stream, [event])).events[0]!.position;

  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('cli_tail');
    store = await openStore(database.url);
    // History before the tail starts: a tail from the end must not print it.
    await append(stripeEvent('customer.created', { id: 'cus_old', object: 'customer' }));
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('prints events appended after it started, one line each, and on SIGINT exits 0 with the resume position', async () => {
    const tail = spawnCli(['tail'], database.url);
    try {
      const [, start] = await tail.waitFor(/following the event store after position (\d+)/, 'stderr');
      expect(start).toBe('1');
      const first = await append(stripeEvent('customer.created', { id: 'cus_t1', object: 'customer' }));
      await store.append('customer-7d0c4c57-2f5e-4d8e-9a43-0a4c1b1f9c11', [
        { type: 'CustomerRegistered', data: {}, metadata: { source: 'platform', actor: 'support:alice' } },
      ]);
      const last = await append(stripeEvent('invoice.paid', { id: 'in_t1', object: 'invoice' }));
      await tail.waitFor(/invoice\.paid/);

      const lines = tail.stdout().trim().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(
        new RegExp(`^${first}  \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z  stripe_customer-cus_t1  customer\\.created  stripe$`),
      );
      expect(lines[1]).toMatch(/ {2}customer-7d0c4c57-\S+ {2}CustomerRegistered {2}platform\/support:alice$/);
      expect(lines[2]).toMatch(new RegExp(`^${last}  .*  stripe_invoice-in_t1  invoice\\.paid  stripe$`));

      tail.child.kill('SIGINT');
      expect(await tail.exited).toBe(0);
      expect(tail.stderr()).toMatch(new RegExp(`resume with: ledgerline tail --from ${last}\\n`));
    } finally {
      tail.child.kill('SIGKILL');
    }
  }, 60_000);

  it('filters by category and type, prints NDJSON envelopes, and resumes from the printed position', async () => {
    const args = ['tail', '--category', 'stripe_customer', '--type', 'customer.updated', '--json'];
    const tail = spawnCli(args, database.url);
    let resumeFrom: string;
    try {
      await tail.waitFor(/following the event store/, 'stderr');
      await append(stripeEvent('customer.created', { id: 'cus_f1', object: 'customer' })); // wrong type
      const wanted = await append(
        stripeEvent('customer.updated', { id: 'cus_f1', object: 'customer', email: 'a@b.c' }),
      );
      await append(stripeEvent('customer.updated', { id: 'cus_f2', object: 'other' })); // wrong category
      await append(stripeEvent('invoice.paid', { id: 'in_f1', object: 'invoice' })); // neither
      const marker = await append(stripeEvent('customer.updated', { id: 'cus_f3', object: 'customer' }));
      await tail.waitFor(/cus_f3/);
      // Order is kept, so anything unfiltered before the marker would already be here.
      const envelopes = tail
        .stdout()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(envelopes.map((e) => [e.position, e.stream, e.type])).toEqual([
        [Number(wanted), 'stripe_customer-cus_f1', 'customer.updated'],
        [Number(marker), 'stripe_customer-cus_f3', 'customer.updated'],
      ]);
      expect(envelopes[0]).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        revision: 1,
        data: { type: 'customer.updated', data: { object: { id: 'cus_f1', email: 'a@b.c' } } },
        metadata: { source: 'stripe', recordedAt: expect.stringMatching(/Z$/) },
      });

      // The filtered subscription scans past non-matching events: what follows is resumed after them.
      await append(stripeEvent('invoice.paid', { id: 'in_f2', object: 'invoice' }));
      tail.child.kill('SIGTERM');
      expect(await tail.exited).toBe(0);
      const [, from, flags] = tail.stderr().match(/resume with: ledgerline tail --from (\d+)(.*)\n/)!;
      expect(flags).toBe(' --category stripe_customer --type customer.updated --json');
      expect(BigInt(from!)).toBeGreaterThanOrEqual(marker);
      resumeFrom = from!;
    } finally {
      tail.child.kill('SIGKILL');
    }

    const missed = await append(stripeEvent('customer.updated', { id: 'cus_f4', object: 'customer' }));
    const resumed = spawnCli(['tail', '--from', resumeFrom, ...args.slice(1)], database.url);
    try {
      await resumed.waitFor(/cus_f4/);
      expect(JSON.parse(resumed.stdout().trim()).position).toBe(Number(missed));
      resumed.child.kill('SIGINT');
      expect(await resumed.exited).toBe(0);
    } finally {
      resumed.child.kill('SIGKILL');
    }
  }, 60_000);

  it('answers a bad option with exit 64, naming it', async () => {
    const result = await runCli(['tail', '--category'], database.url);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/option --category needs a value\nUsage: ledgerline tail /);
    expect((await runCli(['tail', '--follow'], database.url)).stderr).toMatch(/unknown option --follow/);
  });
});
