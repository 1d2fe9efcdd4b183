import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@ledgerline/event-store';
import { ProjectionEngine1763900000000, ProjectionRunner, ProjectionStore } from '@ledgerline/projections';
import {
  Notifications1764000000700,
  NotificationsProjector,
  notificationId,
  notificationStream,
} from '@ledgerline/read-models';
import { createTestDatabase, eventually, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { NotificationDispatcher, type DispatcherOptions } from './notification-dispatcher';
import { type NotificationReceiver, signatureIsValid, startReceiver } from './testing/notification-receiver';
import { WebhookChannel } from './webhook-channel';

const SECRET = 'notify-secret-0123456789';
const BASE_MS = 30_000;

interface Row {
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  sent_at: Date | null;
}

describe('NotificationDispatcher', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  let receiver: NotificationReceiver;
  let clock: number;
  let logs: string[];
  let customers = 0;

  const dispatcher = (options: Partial<DispatcherOptions> = {}) =>
    new NotificationDispatcher(dataSource, store, new WebhookChannel({ url: receiver.url, secret: SECRET }), {
      retryBaseMs: BASE_MS,
      maxAttempts: 8,
      now: () => new Date(clock),
      log: (message) => logs.push(message),
      ...options,
    });
  const row = async (id: string): Promise<Row | undefined> =>
    (await dataSource.query(`SELECT * FROM notifications WHERE id = $1`, [id]))[0];
  const until = (id: string, check: (row: Row) => boolean, what: string) =>
    eventually(
      async () => {
        const found = await row(id);
        return found !== undefined && check(found);
      },
      10_000,
      what,
    );
  const requestsFor = (id: string) => receiver.received.filter((r) => r.headers['ledgerline-notification-id'] === id);

  /** A new customer's customer.created event in the store; resolves once its notification is pending. */
  async function newNotification(): Promise<{ id: string; customer: string }> {
    const customer = `cus_dispatch_${++customers}`;
    const stripeEventId = `evt_dispatch_${customers}`;
    await store.append(`stripe_customer-${customer}`, [
      {
        type: 'customer.created',
        data: {
          id: stripeEventId,
          object: 'event',
          type: 'customer.created',
          created: 1_714_557_600,
          data: { object: { id: customer, object: 'customer', email: 'jenny.rosen@example.com', metadata: {} } },
        },
        metadata: { source: 'stripe', stripeEventId },
      },
    ]);
    const id = notificationId(stripeEventId, 'customer_created');
    await until(id, (r) => r.status === 'pending', 'the notification to be projected');
    return { id, customer };
  }

  beforeAll(async () => {
    database = await createTestDatabase('notification_dispatch');
    await runMigrations(database.url, [
      ...EVENT_STORE_MIGRATIONS,
      ProjectionEngine1763900000000,
      Notifications1764000000700,
    ]);
    dataSource = await createDataSource(database.url, []).initialize();
    store = new PostgresEventStore({ connectionString: database.url, pollIntervalMs: 50 });
    runner = new ProjectionRunner(new NotificationsProjector(), store, new ProjectionStore(dataSource));
    await runner.start();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await runner.stop();
    await receiver.close();
    await store.close();
    await dataSource.destroy();
    await database.drop();
  });
  beforeEach(() => {
    clock = Date.now();
    logs = [];
    receiver.answer = () => 200;
  });

  it('delivers a notification signed, records it as sent, and never sends it again', async () => {
    const { id, customer } = await newNotification();
    const d = dispatcher();
    expect(await d.dispatchDue()).toBe(1);
    const [request] = requestsFor(id);
    expect(signatureIsValid(request!, SECRET)).toBe(true);
    expect(request!.json).toEqual({
      id,
      kind: 'customer_created',
      customerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      customerStripeId: customer,
      occurredAt: new Date(1_714_557_600_000).toISOString(),
      subject: { objectId: customer },
    });
    expect(request!.body).not.toContain('jenny.rosen');

    await until(id, (r) => r.status === 'sent', 'sent');
    expect(await row(id)).toMatchObject({ attempts: 1, last_error: null, sent_at: new Date(clock) });
    const [event] = await store.readStream(notificationStream(id));
    expect(event).toMatchObject({
      type: 'NotificationDelivered',
      data: {
        notificationId: id,
        attempt: 1,
        deliveredAt: new Date(clock).toISOString(),
        channel: 'webhook',
        statusCode: 200,
      },
      metadata: { source: 'platform', actor: 'system:notification-dispatcher', correlationId: id, schemaVersion: 1 },
    });
    clock += 10 * 3_600_000;
    expect(await d.dispatchDue()).toBe(0);
    expect(requestsFor(id)).toHaveLength(1);
    expect(logs.join('\n')).not.toMatch(/t0ken|notify-secret|cus_|jenny/);
  });

  it('does not pick a notification again before its outcome is projected', async () => {
    const { id } = await newNotification();
    await runner.stop();
    try {
      const d = dispatcher();
      expect(await d.dispatchDue()).toBe(1);
      expect(await d.dispatchDue()).toBe(0);
      expect(requestsFor(id)).toHaveLength(1);
    } finally {
      await runner.start();
    }
    await until(id, (r) => r.status === 'sent', 'sent');
    expect(await store.readStream(notificationStream(id))).toHaveLength(1);
  });

  it('retries after the receiver answers 500 and then marks it sent with attempts = 2', async () => {
    const { id } = await newNotification();
    receiver.answer = (request) => (requestsFor(request.json.id).length === 1 ? 500 : 200);
    const d = dispatcher();
    expect(await d.dispatchDue()).toBe(1);
    await until(id, (r) => r.attempts === 1, 'the failed attempt');
    expect(await row(id)).toMatchObject({
      status: 'pending',
      last_error: 'HTTP 500',
      next_attempt_at: new Date(clock + BASE_MS),
    });
    clock += BASE_MS - 1;
    expect(await d.dispatchDue()).toBe(0);
    clock += 1;
    expect(await d.dispatchDue()).toBe(1);
    await until(id, (r) => r.status === 'sent', 'sent');
    expect(await row(id)).toMatchObject({ attempts: 2, last_error: null, next_attempt_at: null });
    expect(requestsFor(id).map((r) => signatureIsValid(r, SECRET))).toEqual([true, true]);
    expect((await store.readStream(notificationStream(id))).map((e) => e.type)).toEqual([
      'NotificationDeliveryFailed',
      'NotificationDelivered',
    ]);
  });

  it('backs off exponentially and gives up after the last attempt: failed, never tried again', async () => {
    const { id } = await newNotification();
    receiver.answer = () => 503;
    const d = dispatcher({ maxAttempts: 3 });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await d.dispatchDue()).toBe(1);
      await until(id, (r) => r.attempts === attempt, `attempt ${attempt}`);
      const next = (await row(id))!.next_attempt_at;
      if (next) {
        delays.push(next.getTime() - clock);
        clock = next.getTime();
      }
    }
    expect(delays).toEqual([BASE_MS, 2 * BASE_MS]);
    expect(await row(id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      last_error: 'HTTP 503',
      next_attempt_at: null,
    });
    clock += 24 * 3_600_000;
    expect(await d.dispatchDue()).toBe(0);
    expect(requestsFor(id)).toHaveLength(3);
  });

  it('records an attempt once when two dispatchers race for the same notification', async () => {
    const { id } = await newNotification();
    await runner.stop();
    try {
      expect(await Promise.all([dispatcher().dispatchDue(), dispatcher().dispatchDue()])).toEqual([1, 1]);
    } finally {
      await runner.start();
    }
    await until(id, (r) => r.status === 'sent', 'sent');
    // Both delivered (at least once; the receiver dedupes by the id header), one outcome recorded.
    expect(requestsFor(id)).toHaveLength(2);
    expect(await store.readStream(notificationStream(id))).toHaveLength(1);
    expect((await row(id))!.attempts).toBe(1);
  });
});
