import {
  buildOnce,
  createTestDatabase,
  loadEventFixtures,
  type RunningProcess,
  postWebhookTo,
  startProcess,
  stopProcess,
  type TestDatabase,
} from '@ledgerline/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { freePort } from '@ledgerline/database';

const SECRET = 'whsec_crash_test_0123456789';
const EVENTS = 600;
const CONCURRENCY = 24;

/**
 * Stripe's view of a crash: the server dies (SIGKILL) in the middle of a load; every event that did
 * not get a 2xx is sent again after the restart. Afterwards each event is stored exactly once, and
 * every event that got a 2xx before the crash survived it.
 */
describe('webhook ingestion survives SIGKILL mid-load', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('crash');
  }, 120_000);
  afterAll(async () => database?.drop());

  it('stores every event exactly once after a crash and Stripe-style redelivery', async () => {
    const templates = loadEventFixtures();
    const bodies = Array.from({ length: EVENTS }, (_, i) => {
      const event = JSON.parse(templates[i % templates.length]!.body) as Record<string, unknown>;
      return { id: `evt_crash_${i}`, body: JSON.stringify({ ...event, id: `evt_crash_${i}` }) };
    });
    const env = { DATABASE_URL: database.url, STRIPE_WEBHOOK_SECRETS: SECRET, LEDGERLINE_PROCESSES: 'api' };
    const port = await freePort();

    let server: RunningProcess = await startProcess(env, port);
    const acknowledged = new Set<string>();
    let next = 0;
    let killed = false;
    const send = async (item: { id: string; body: string }): Promise<void> => {
      try {
        const response = await postWebhookTo(`http://127.0.0.1:${port}`, item.body, SECRET);
        if (response.status === 200) acknowledged.add(item.id);
      } catch {
        // connection refused or reset by the crash: Stripe will retry
      }
    };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < bodies.length) {
          const item = bodies[next++]!;
          if (!killed && next === EVENTS / 3) {
            killed = true;
            server.child.kill('SIGKILL');
          }
          await send(item);
        }
      }),
    );
    await stopProcess(server.child, 'SIGKILL');
    const acknowledgedBeforeCrash = new Set(acknowledged);
    expect(acknowledgedBeforeCrash.size).toBeGreaterThan(0);
    expect(acknowledgedBeforeCrash.size).toBeLessThan(EVENTS);

    server = await startProcess(env, port);
    try {
      for (let round = 0; round < 3 && acknowledged.size < EVENTS; round++) {
        const pending = bodies.filter((item) => !acknowledged.has(item.id));
        await Promise.all(pending.map(send));
      }
      // A redelivery of an event stored before the crash is recognised after the restart.
      const before = bodies.find((item) => acknowledgedBeforeCrash.has(item.id))!;
      const again = await postWebhookTo(`http://127.0.0.1:${port}`, before.body, SECRET);
      expect(again.status).toBe(200);
      expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    } finally {
      await stopProcess(server.child, 'SIGTERM');
    }
    expect(acknowledged.size).toBe(EVENTS);

    const client = new Client({ connectionString: database.url });
    await client.connect();
    const stored = await client.query<{ id: string; copies: string }>(
      `SELECT metadata->>'stripeEventId' AS id, count(*) AS copies FROM event_store.events
        WHERE metadata->>'stripeEventId' LIKE 'evt_crash_%' GROUP BY 1`,
    );
    await client.end();
    expect(stored.rows).toHaveLength(EVENTS);
    expect(stored.rows.filter((row) => row.copies !== '1')).toEqual([]);
    const storedIds = new Set(stored.rows.map((row) => row.id));
    for (const id of acknowledgedBeforeCrash) expect(storedIds.has(id)).toBe(true);
  }, 180_000);
});
