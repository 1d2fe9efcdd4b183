import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { loadConfig } from '@ledgerline/config';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { RebuildRequests } from '@ledgerline/projections';
import { CoreModule, EVENT_STORE_MIGRATIONS, READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import { ingestStripeEvent, type StripeEventPayload } from '@ledgerline/stripe';
import {
  createTestDatabase,
  eventually,
  loadEventFixtures,
  runMigrations,
  type TestDatabase,
} from '@ledgerline/testing';
import { WorkerModule } from '../worker.module';
import { type NotificationReceiver, signatureIsValid, startReceiver } from './testing/notification-receiver';

const SECRET = 'notify-secret-0123456789';

/** Published payloads, each with an event id of its own (the stripe-ruby-mock files share one). */
function stripeEvents(): StripeEventPayload[] {
  const fixtures = loadEventFixtures();
  const load = (type: string, id: string, patch: Record<string, unknown> = {}): StripeEventPayload => {
    const payload = JSON.parse(fixtures.find((f) => f.file === `events/stripe-ruby-mock/${type}.json`)!.body);
    Object.assign(payload.data.object, patch);
    return { ...payload, id };
  };
  return [
    load('customer.created', 'evt_e2e_customer'),
    load('invoice.created', 'evt_e2e_invoice'),
    load('charge.failed', 'evt_e2e_charge_failed', { customer: 'cus_00000000000000' }),
    load('customer.subscription.deleted', 'evt_e2e_cancelled'),
  ];
}

/** The worker as it runs in production, with the webhook channel pointed at a real HTTP receiver. */
describe('notifications through the worker', () => {
  let receiver: NotificationReceiver;
  let database: TestDatabase;
  let app: INestApplicationContext;
  let dataSource: DataSource;
  const rows = (): Promise<Record<string, unknown>[]> =>
    dataSource.query(
      `SELECT id, kind, status, attempts, last_error, next_attempt_at, sent_at, subject FROM notifications ORDER BY id`,
    );

  beforeAll(async () => {
    // The receiver refuses cancellations: those must end `failed` after NOTIFICATION_MAX_ATTEMPTS.
    receiver = await startReceiver((request) => (request.json.kind === 'subscription_cancelled' ? 500 : 200));
    database = await createTestDatabase('notifications_e2e');
    await runMigrations(database.url, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
    const config = loadConfig({
      DATABASE_URL: database.url,
      NOTIFICATION_WEBHOOK_URL: receiver.url,
      NOTIFICATION_WEBHOOK_SECRET: SECRET,
      NOTIFICATION_RETRY_BASE_MS: '50',
      NOTIFICATION_MAX_ATTEMPTS: '2',
    });
    @Module({
      imports: [
        CoreModule.forRoot({
          config,
          databaseUrl: database.url,
          eventStore: { adapter: 'postgres', url: database.url },
        }),
        WorkerModule,
      ],
    })
    class TestWorkerModule {}
    app = await NestFactory.createApplicationContext(TestWorkerModule, { logger: false });
    await app.init();
    dataSource = app.get(DataSource);
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await database?.drop();
  });

  it('delivers each notification once, redelivered events included, and a rebuild re-sends nothing', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const events = stripeEvents();
    for (const event of events) await ingestStripeEvent(store, event);
    // Stripe delivers at least once: the same event again adds no notification.
    expect((await ingestStripeEvent(store, events[1]!)).duplicate).toBe(true);

    await eventually(
      async () => (await rows()).filter((r) => r.status !== 'pending').length === 4,
      20_000,
      'every notification delivered or given up',
    );
    const settled = await rows();
    expect(settled.map((r) => [r.kind, r.status, r.attempts]).sort()).toEqual([
      ['customer_created', 'sent', 1],
      ['invoice_created', 'sent', 1],
      ['payment_failed', 'sent', 1],
      ['subscription_cancelled', 'failed', 2],
    ]);
    expect(receiver.received.every((r) => signatureIsValid(r, SECRET))).toBe(true);
    const sentCount = receiver.received.length;
    expect(sentCount).toBe(5);

    // Spoil a column nothing dispatches on: the rebuild must restore it from the events.
    await dataSource.query(`UPDATE notifications SET subject = '{}'`);
    const requests = new RebuildRequests(dataSource);
    const request = await requests.request('notifications', 'e2e');
    await eventually(async () => (await requests.get(request.id))?.status === 'done', 30_000, 'the rebuild');

    expect(await rows()).toEqual(settled);
    await sleep(2_500); // more than two dispatcher polls
    expect(receiver.received).toHaveLength(sentCount);
    expect(await rows()).toEqual(settled);
  });
});
