import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import type { PostgresEventStore } from '@ledgerline/event-store';
import { EVENT_STORE_MIGRATIONS, READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import { buildOnce, createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { openStore, runCli, stripeEvent } from './cli-harness';

describe('ledgerline stats', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  /** Events per UTC day as the store's own table says, to check the CLI's scan against. */
  let daysInStore: Record<string, number>;

  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('cli_stats');
    store = await openStore(database.url);
    for (let i = 0; i < 5; i++) {
      const { stream, event } = stripeEvent('customer.created', { id: `cus_s${i}`, object: 'customer' });
      await store.append(stream, [event]);
    }
    for (let i = 0; i < 3; i++) {
      const { stream, event } = stripeEvent('invoice.paid', { id: `in_s${i}`, object: 'invoice' });
      await store.append(stream, [event]);
    }
    await store.append('customer-2b7a8c1e-5d4f-4e3a-9b2c-1a0f9e8d7c6b', [
      { type: 'CustomerRegistered', data: {}, metadata: { source: 'platform', actor: 'support:bo' } },
      { type: 'CustomerDetailsChanged', data: {}, metadata: { source: 'platform', actor: 'support:bo' } },
    ]);
    // Spread the events over three days (a test database: the store is ours to age).
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(
        `UPDATE event_store.events SET recorded_at = recorded_at - interval '2 days' WHERE position <= 3`,
      );
      await client.query(
        `UPDATE event_store.events SET recorded_at = recorded_at - interval '1 day' WHERE position = 9`,
      );
      const { rows } = await client.query<{ day: string; n: number }>(
        `SELECT to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS n
           FROM event_store.events GROUP BY 1 ORDER BY 1`,
      );
      daysInStore = Object.fromEntries(rows.map((row) => [row.day, row.n]));
    } finally {
      await client.end();
    }
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('counts events by type and by UTC day, with the head position and the store size (--json)', async () => {
    const result = await runCli(['stats', '--json'], database.url);
    expect(result.code).toBe(0);
    const stats = JSON.parse(result.stdout);
    expect(stats).toEqual({
      adapter: 'postgres',
      totalEvents: 10,
      headPosition: 10,
      storeSizeBytes: expect.any(Number),
      byType: { 'customer.created': 5, 'invoice.paid': 3, CustomerDetailsChanged: 1, CustomerRegistered: 1 },
      byDay: daysInStore,
    });
    expect(Object.keys(stats.byDay)).toHaveLength(3);
    expect(Object.keys(stats.byType)).toEqual([
      'customer.created',
      'invoice.paid',
      'CustomerDetailsChanged',
      'CustomerRegistered',
    ]);
    expect(stats.storeSizeBytes).toBeGreaterThan(8_192);
    // The full scan reports its progress on stderr, stdout stays the JSON document.
    expect(result.stderr).toMatch(/stats \[#+\] 10\/10 \(10 events\)/);
    expect(result.stderr).toMatch(/stats scanned 10 events/);
  }, 60_000);

  it('prints the same as text', async () => {
    const result = await runCli(['stats'], database.url);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^adapter: +postgres\nevents: +10\nhead position: +10\nstore size: +[\d.]+ (KiB|MiB) \([\d,]+ bytes\)\n/,
    );
    expect(result.stdout).toMatch(/events by type:\n {2}customer\.created +5\n {2}invoice\.paid +3\n/);
    for (const [day, count] of Object.entries(daysInStore))
      expect(result.stdout).toMatch(new RegExp(`  ${day} +${count}\\n`));
  }, 60_000);

  it('answers an empty store and a bad option', async () => {
    // Migrated (stats, a read-only command, migrates nothing) but holding no event.
    const empty = await createTestDatabase('cli_stats_empty');
    try {
      await runMigrations(empty.url, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
      const result = await runCli(['stats', '--json'], empty.url);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ totalEvents: 0, headPosition: 0, byType: {}, byDay: {} });
    } finally {
      await empty.drop();
    }
    const bad = await runCli(['stats', '--json=yes'], database.url);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/option --json takes no value/);
  }, 60_000);
});
