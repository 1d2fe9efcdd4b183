import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { createTestDatabase, eventually, runMigrations, type TestDatabase } from '@ledgerline/testing';
import type { RecordedEvent, Subscription } from '../event-store.port';
import { LISTEN_APPLICATION_NAME } from './append-notifier';
import { EVENT_STORE_MIGRATIONS } from './event-store-schema.migration';
import { PostgresEventStore } from './postgres-event-store';

const EVENTS = 50;
/** What the issue promises: every event within 2 s of its append, however many notifications are lost. */
const DELIVERY_MS = 2_000;

/**
 * Subscriptions that share reads (the worker's projectors) must not answer from a cached window
 * forever when NOTIFY never reaches them: a poll tick, and every reconnect of the LISTEN
 * connection, make them ask PostgreSQL for the head again.
 */
describe('PostgreSQL store: subscriptions deliver without notifications', () => {
  let database: TestDatabase;
  let admin: Client;
  let reader: PostgresEventStore;
  let writer: PostgresEventStore;
  let subscriptions: Subscription[] = [];

  const listenerPids = async (): Promise<number[]> => {
    const result = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
      [LISTEN_APPLICATION_NAME],
    );
    return result.rows.map((row) => row.pid);
  };
  const append = async (tag: string): Promise<void> => {
    for (let i = 0; i < EVENTS; i++) {
      await writer.append(`lost-${tag}-${i % 7}`, [
        { type: 'Noted', data: { tag, i }, metadata: { source: 'platform' } },
      ]);
    }
  };
  /** Two subscriptions from the head, so they share the reader's cached windows. */
  const subscribeTwice = async (): Promise<RecordedEvent[][]> => {
    const received: RecordedEvent[][] = [[], []];
    subscriptions = received.map((into) =>
      reader.subscribeToAll({ from: 'end', handler: async (events) => void into.push(...events) }),
    );
    await Promise.all(subscriptions.map((subscription) => subscription.caughtUp));
    return received;
  };
  const deliveredWithin = async (received: RecordedEvent[][], tag: string, since: number): Promise<void> => {
    const tagged = (events: RecordedEvent[]) => events.filter((event) => (event.data as { tag: string }).tag === tag);
    await eventually(
      async () => received.every((events) => tagged(events).length === EVENTS),
      DELIVERY_MS - (Date.now() - since),
      `${EVENTS} events to reach both subscriptions`,
    );
    for (const events of received)
      expect(tagged(events).map((event) => (event.data as { i: number }).i)).toEqual(
        Array.from({ length: EVENTS }, (_, i) => i),
      );
  };

  beforeAll(async () => {
    database = await createTestDatabase('lost_notifications');
    await runMigrations(database.url, EVENT_STORE_MIGRATIONS);
    admin = new Client({ connectionString: database.url });
    await admin.connect();
    // The production poll interval: the promise is about it, not about a test's faster one.
    reader = new PostgresEventStore({ connectionString: database.url, pollIntervalMs: 1_000 });
    writer = new PostgresEventStore({ connectionString: database.url });
    await writer.append('lost-seed', [
      { type: 'Noted', data: { tag: 'seed', i: 0 }, metadata: { source: 'platform' } },
    ]);
  }, 60_000);
  afterEach(async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
  });
  afterAll(async () => {
    await Promise.all([reader?.close(), writer?.close(), admin?.end()]);
    await database?.drop();
  });

  it('listens before the first read', async () => {
    await subscribeTwice();
    expect(reader.notifier.listening).toBe(true);
    expect(await listenerPids()).toHaveLength(1);
  });

  it('delivers every event within 2 s when the LISTEN connection hears no notification at all', async () => {
    const received = await subscribeTwice();
    const [pid] = await listenerPids();
    // The connection stays up but no longer hears the channel: every NOTIFY from here on is lost.
    const listener = (reader.notifier as unknown as { client: Client }).client;
    await listener.query('UNLISTEN *');
    const since = Date.now();
    await append('unheard');
    await deliveredWithin(received, 'unheard', since);
    expect(await listenerPids()).toEqual([pid]);
  });

  it('delivers every event within 2 s when its LISTEN backend is terminated, and listens again', async () => {
    const received = await subscribeTwice();
    const [pid] = await listenerPids();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const since = Date.now();
    await append('terminated');
    await deliveredWithin(received, 'terminated', since);
    await eventually(async () => reader.notifier.listening, 5_000, 'the notifier to listen again');
    const [again] = await listenerPids();
    expect(again).toBeDefined();
    expect(again).not.toBe(pid);
  });
});
