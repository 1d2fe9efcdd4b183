import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@ledgerline/event-store';
import { READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import {
  buildOnce,
  createTestDatabase,
  eventually,
  runMigrations,
  type RunningProcess,
  startUntil,
  stopProcess,
  type TestDatabase,
  WORKER_MAIN,
} from '@ledgerline/testing';

const STALL_SECONDS = 2;

/**
 * What an operator sees of a worker: its own port answers /health/live, /health/ready and
 * /metrics (which units it owns, each projection's lag and stall), and a projection that stops
 * moving with events waiting is logged once as stalled, and once when it moves again.
 */
describe('the worker is visible', () => {
  let database: TestDatabase;
  let worker: RunningProcess;
  let base: string;
  let store: PostgresEventStore;

  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('worker_visibility');
    await runMigrations(database.url, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
    store = new PostgresEventStore({ connectionString: database.url });
    worker = await startUntil(
      WORKER_MAIN,
      { DATABASE_URL: database.url, PROJECTION_STALL_SECONDS: String(STALL_SECONDS) },
      /health and metrics on port \d+/,
    );
    base = `http://127.0.0.1:${/health and metrics on port (\d+)/.exec(worker.output())![1]}`;
  }, 120_000);
  afterAll(async () => {
    if (worker) await stopProcess(worker.child, 'SIGTERM');
    await store?.close();
    await database?.drop();
  });

  it('answers live, ready and metrics on its own port', async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { units: string[]; database: string; eventStore: string };
    expect(body).toMatchObject({ database: 'up', eventStore: 'up' });
    expect(body.units).toContain('projection:stripe_objects');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/ledgerline_worker_unit_owned\{unit="projection:stripe_objects",app="ledgerline"\} 1/);
    expect(metrics).toMatch(/ledgerline_worker_live_workers\{app="ledgerline"\} 1/);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });

  it('logs a stalled projection once, and once when it moves again', async () => {
    // Hold a lock the stripe_objects projector needs: its batch waits, nothing fails, the position stays.
    const blocker = new Client({ connectionString: database.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE stripe_objects IN ACCESS EXCLUSIVE MODE');
    try {
      await store.append('stripe_customer-cus_stall', [
        {
          type: 'customer.updated',
          data: {
            id: 'evt_stall',
            object: 'event',
            type: 'customer.updated',
            created: 1_700_000_000,
            data: { object: { id: 'cus_stall', object: 'customer' } },
          },
          metadata: { source: 'stripe', stripeEventId: 'evt_stall' },
        },
      ]);
      await eventually(
        async () => /projection stripe_objects stalled at position/.test(worker.output()),
        20_000,
        'the stall to be logged',
      );
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/ledgerline_projection_stalled\{projection="stripe_objects",app="ledgerline"\} 1/);
      // Still stalled a few checks later: not logged again.
      await new Promise((resolve) => setTimeout(resolve, (STALL_SECONDS + 1) * 1_000));
      expect(worker.output().match(/projection stripe_objects stalled/g)).toHaveLength(1);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    await eventually(
      async () => /projection stripe_objects moving again/.test(worker.output()),
      20_000,
      'the recovery to be logged',
    );
    expect(worker.output().match(/projection stripe_objects stalled/g)).toHaveLength(1);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/ledgerline_projection_stalled\{projection="stripe_objects",app="ledgerline"\} 0/);
  }, 60_000);
});
