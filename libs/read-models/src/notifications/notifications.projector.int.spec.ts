import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import type { EventSource, RecordedEvent } from '@ledgerline/event-store';
import { ProjectionStore } from '@ledgerline/projections';
import {
  createTestDatabase,
  loadEventFixtures,
  loadObjectFixture,
  runMigrations,
  type TestDatabase,
} from '@ledgerline/testing';
import { platformCustomerId } from '../shared/stripe-refs';
import { NOTIFICATION_DELIVERED, NOTIFICATION_DELIVERY_FAILED, notificationId } from './notification-events';
import { Notifications1764000000700 } from './notifications.migration';
import { NotificationsProjector } from './notifications.projector';
import { listCustomerNotifications } from './notifications.query';

type Payload = { id: string; type: string; account?: string; data: { object: Record<string, unknown> } };

const CUS = 'cus_00000000000000';
const PLATFORM_ID = '6a1e3c5b-8d2f-4b7a-9c0e-1f2a3b4c5d6e';
const fixtures = loadEventFixtures();

/**
 * A published Stripe payload by file; `id` gives it an event id of its own (the stripe-ruby-mock
 * files all reuse one, which a real account never does).
 */
function fixture(
  file: string,
  id: string,
  patch: (object: Record<string, unknown>) => void = () => undefined,
): Payload {
  const found = fixtures.find((candidate) => candidate.file === `events/${file}`);
  if (!found) throw new Error(`no fixture ${file}`);
  const payload = JSON.parse(found.body) as Payload;
  payload.id = id;
  patch(payload.data.object);
  return payload;
}

let position = 0n;
function recorded(payload: Payload, source: EventSource = 'stripe', storeId = randomUUID()): RecordedEvent {
  position += 1n;
  const metadata = { source, stripeEventId: payload.id, recordedAt: '2024-01-01T00:00:00.000Z' };
  return { id: storeId, type: payload.type, stream: 'test-1', revision: 0n, position, data: payload, metadata };
}

/** A dispatcher outcome event as the store hands it to the projector. */
function outcome(type: string, data: Record<string, unknown>): RecordedEvent {
  position += 1n;
  const metadata = { source: 'platform' as const, recordedAt: '2024-01-01T00:00:00.000Z' };
  return {
    id: randomUUID(),
    type,
    stream: `notification-${data.notificationId}`,
    revision: 0n,
    position,
    data,
    metadata,
  };
}

const withCustomer = (customer: string) => (object: Record<string, unknown>) => {
  object.customer = customer;
};

/** One Stripe event per kind (and per variant), from the published payloads. */
function owedEvents(): Payload[] {
  return [
    fixture('stripe-ruby-mock/customer.created.json', 'evt_customer_created'),
    fixture('stripe-dotnet/event_test_signature.json', 'evt_customer_created_connect', (object) => {
      object.metadata = { ledgerline_customer_id: PLATFORM_ID };
    }),
    fixture('stripe-ruby-mock/customer.subscription.created.json', 'evt_subscription_created'),
    fixture('stripe-ruby-mock/invoice.created.json', 'evt_invoice_created'),
    fixture('stripe-ruby-mock/charge.succeeded.json', 'evt_charge_succeeded', withCustomer(CUS)),
    fixture('stripe-ruby-mock/invoice.payment_failed.json', 'evt_invoice_payment_failed'),
    fixture('stripe-ruby-mock/charge.failed.json', 'evt_charge_failed', withCustomer(CUS)),
    fixture('stripe-ruby-mock/customer.subscription.trial_will_end.json', 'evt_trial_will_end'),
    {
      ...fixture(
        'stripe-ruby-mock/customer.subscription.trial_will_end.json',
        'evt_trial_connect',
        withCustomer('cus_123'),
      ),
      account: 'acct_123',
    },
    fixture('stripe-ruby-mock/customer.source.expiring.json', 'evt_source_expiring', withCustomer(CUS)),
    fixture('stripe-ruby-mock/customer.source.expiring.json', 'evt_card_expiring', (object) => {
      for (const key of Object.keys(object)) delete object[key];
      Object.assign(object, loadObjectFixture('card'), { customer: CUS });
    }),
    fixture('stripe-ruby-mock/customer.subscription.deleted.json', 'evt_subscription_deleted'),
  ];
}

describe('NotificationsProjector', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let projections: ProjectionStore;
  const projector = new NotificationsProjector();
  const apply = async (events: RecordedEvent[]) => {
    for (const event of events) await projections.transaction((tx) => projector.apply(event, tx));
  };
  const rows = async (): Promise<Record<string, unknown>[]> =>
    dataSource.query(
      `SELECT id, kind, customer_stripe_id, customer_id, account, stripe_event_id, subject, status, attempts,
              last_error, next_attempt_at, sent_at FROM notifications ORDER BY stripe_event_id, kind`,
    );
  const row = async (stripeEventId: string) => (await rows()).find((r) => r.stripe_event_id === stripeEventId)!;

  beforeAll(async () => {
    database = await createTestDatabase('notifications');
    await runMigrations(database.url, [Notifications1764000000700]);
    dataSource = await createDataSource(database.url, []).initialize();
    projections = new ProjectionStore(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('consumes exactly the event types it handles', () => {
    expect([...projector.filter.eventTypes!].sort()).toEqual([
      'NotificationDelivered',
      'NotificationDeliveryFailed',
      'charge.failed',
      'charge.succeeded',
      'customer.created',
      'customer.source.expiring',
      'customer.subscription.created',
      'customer.subscription.deleted',
      'customer.subscription.trial_will_end',
      'invoice.created',
      'invoice.payment_failed',
    ]);
  });

  it('creates one pending notification per kind from its Stripe event', async () => {
    await apply(owedEvents().map((payload) => recorded(payload)));
    const all = await rows();
    expect(all.map((r) => [r.stripe_event_id, r.kind, r.status, r.attempts])).toEqual([
      ['evt_card_expiring', 'card_expiring', 'pending', 0],
      ['evt_charge_failed', 'payment_failed', 'pending', 0],
      ['evt_charge_succeeded', 'charge_succeeded', 'pending', 0],
      ['evt_customer_created', 'customer_created', 'pending', 0],
      ['evt_customer_created_connect', 'customer_created', 'pending', 0],
      ['evt_invoice_created', 'invoice_created', 'pending', 0],
      ['evt_invoice_payment_failed', 'payment_failed', 'pending', 0],
      ['evt_source_expiring', 'card_expiring', 'pending', 0],
      ['evt_subscription_created', 'subscription_created', 'pending', 0],
      ['evt_subscription_deleted', 'subscription_cancelled', 'pending', 0],
      ['evt_trial_connect', 'trial_will_end', 'pending', 0],
      ['evt_trial_will_end', 'trial_will_end', 'pending', 0],
    ]);
    const derived = platformCustomerId(CUS, null);
    expect(all.filter((r) => r.customer_stripe_id === CUS).every((r) => r.customer_id === derived)).toBe(true);
    expect(await row('evt_charge_succeeded')).toMatchObject({
      id: notificationId('evt_charge_succeeded', 'charge_succeeded'),
      subject: {
        objectId: 'ch_000000000000000000000000',
        amount: 2000,
        currency: 'usd',
        invoiceId: null,
        card: { brand: 'visa', last4: '4242', expMonth: 3, expYear: 2023 },
      },
    });
    expect((await row('evt_invoice_payment_failed')).subject).toMatchObject({
      objectId: 'in_000000000000000000000000',
      invoiceNumber: 'C93E45D7-0001',
      amountDue: 2000,
      currency: 'usd',
      attemptCount: 1,
    });
    expect((await row('evt_charge_failed')).subject).toMatchObject({ amount: 2000, failureCode: 'card_declined' });
    expect((await row('evt_trial_will_end')).subject).toEqual({
      objectId: 'su_00000000000000',
      trialEnd: new Date(1381280730 * 1000).toISOString(),
    });
    expect((await row('evt_subscription_deleted')).subject).toMatchObject({
      canceledAt: new Date(1648320097 * 1000).toISOString(),
    });
    // A card-type notice carries brand, last four and expiry, and nothing else of the card.
    expect((await row('evt_card_expiring')).subject).toEqual({
      objectId: 'card_1PgaftB7WZ01zgkWm3waTcFp',
      card: { brand: 'Visa', last4: '4242', expMonth: 8, expYear: 2030 },
    });
    expect((await row('evt_source_expiring')).subject).toEqual({ objectId: 'src_00000000000000', card: null });
    const subjects = JSON.stringify(all.map((r) => r.subject));
    for (const personal of [
      'fingerprint',
      'Jenny Rosen',
      'jenny.rosen@example.com',
      'account_number',
      'client_secret',
    ]) {
      expect(subjects).not.toContain(personal);
    }
  });

  it('gives a customer the platform id its metadata names, and keeps the Connect account', async () => {
    expect(await row('evt_customer_created_connect')).toMatchObject({
      customer_stripe_id: 'cus_123',
      customer_id: PLATFORM_ID,
      account: 'acct_123',
    });
    expect(await row('evt_trial_connect')).toMatchObject({
      customer_id: platformCustomerId('cus_123', 'acct_123'),
      account: 'acct_123',
    });
  });

  it('owes nothing for a failed invoice charge, a guest charge, a backfilled event or other types', async () => {
    const before = await rows();
    await apply([
      // Told once, by invoice.payment_failed.
      recorded(
        fixture('stripe-ruby-mock/charge.failed.json', 'evt_x1', (o) =>
          Object.assign(o, { customer: CUS, invoice: 'in_1' }),
        ),
      ),
      recorded(fixture('stripe-ruby-mock/charge.failed.json', 'evt_x2')),
      recorded(fixture('stripe-ruby-mock/charge.succeeded.json', 'evt_x3')),
      recorded(fixture('stripe-ruby-mock/customer.source.expiring.json', 'evt_x4')),
      recorded(fixture('stripe-ruby-mock/customer.created.json', 'evt_x5'), 'backfill'),
      recorded({ ...fixture('stripe-ruby-mock/customer.created.json', 'evt_x6'), type: 'customer.updated' }),
    ]);
    expect(await rows()).toEqual(before);
  });

  it('creates each notification once when events are replayed or a Stripe event is stored again', async () => {
    const before = await rows();
    const events = owedEvents().map((payload) => recorded(payload));
    await apply(events);
    await apply(events);
    // The same Stripe event under another store event (a redelivery stored apart).
    await apply(owedEvents().map((payload) => recorded(payload, 'stripe', randomUUID())));
    expect(await rows()).toEqual(before);
  });

  it('records delivery outcomes from the dispatcher events, each once, never going back', async () => {
    const sent = notificationId('evt_invoice_created', 'invoice_created');
    const givenUp = notificationId('evt_subscription_deleted', 'subscription_cancelled');
    const failed = (id: string, attempt: number, nextAttemptAt: string | null) =>
      outcome(NOTIFICATION_DELIVERY_FAILED, { notificationId: id, attempt, error: 'HTTP 500', nextAttemptAt });
    const firstFailure = failed(sent, 1, '2024-05-01T10:00:30.000Z');
    await apply([firstFailure]);
    expect(await row('evt_invoice_created')).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'HTTP 500',
      next_attempt_at: new Date('2024-05-01T10:00:30.000Z'),
    });
    const delivered = outcome(NOTIFICATION_DELIVERED, {
      notificationId: sent,
      attempt: 2,
      deliveredAt: '2024-05-01T10:00:31.000Z',
      channel: 'webhook',
      statusCode: 200,
    });
    await apply([delivered, firstFailure, delivered]);
    expect(await row('evt_invoice_created')).toMatchObject({
      status: 'sent',
      attempts: 2,
      last_error: null,
      next_attempt_at: null,
      sent_at: new Date('2024-05-01T10:00:31.000Z'),
    });

    await apply([
      failed(givenUp, 1, '2024-05-01T10:00:30.000Z'),
      failed(givenUp, 2, null),
      failed(givenUp, 3, '2024-05-01T11:00:00.000Z'),
    ]);
    expect(await row('evt_subscription_deleted')).toMatchObject({
      status: 'failed',
      attempts: 2,
      next_attempt_at: null,
    });
  });

  it('gives the same rows applied in batches (outcomes amid creations) as one event at a time', async () => {
    await dataSource.query(`TRUNCATE notifications`);
    await dataSource.query(`CREATE TABLE IF NOT EXISTS notifications_batched (LIKE notifications INCLUDING ALL)`);
    const created = owedEvents().map((payload) => recorded(payload));
    const sent = notificationId('evt_invoice_created', 'invoice_created');
    const events = [
      ...created.slice(0, 4),
      outcome(NOTIFICATION_DELIVERY_FAILED, {
        notificationId: sent,
        attempt: 1,
        error: 'HTTP 502',
        nextAttemptAt: '2024-05-01T10:00:30.000Z',
      }),
      ...created.slice(4),
      outcome(NOTIFICATION_DELIVERED, {
        notificationId: sent,
        attempt: 2,
        deliveredAt: '2024-05-01T10:00:31.000Z',
        channel: 'webhook',
        statusCode: 200,
      }),
      ...created.slice(0, 2),
    ];
    await apply(events);
    for (let i = 0; i < events.length; i += 3) {
      const batch = events.slice(i, i + 3);
      await projections.transaction((tx) => projector.applyBatch(batch, tx), {
        notifications: 'notifications_batched',
      });
    }
    const one = await rows();
    const batched: Record<string, unknown>[] = await dataSource.query(
      `SELECT id, kind, customer_stripe_id, customer_id, account, stripe_event_id, subject, status, attempts,
              last_error, next_attempt_at, sent_at FROM notifications_batched ORDER BY stripe_event_id, kind`,
    );
    expect(one.length).toBe(owedEvents().length);
    expect(one.find((r) => r.id === sent)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(batched).toEqual(one);
  });

  it("lists a customer's notifications newest first, by platform or Stripe id, a page at a time", async () => {
    const connect = await listCustomerNotifications(
      dataSource,
      { id: PLATFORM_ID, stripeIds: ['cus_123'] },
      { limit: 50, offset: 0 },
    );
    expect(connect.data.map((n) => [n.kind, n.stripeEventId])).toEqual([
      ['customer_created', 'evt_customer_created_connect'], // 2018
      ['trial_will_end', 'evt_trial_connect'], // 2012
    ]);
    const ref = { id: platformCustomerId(CUS, null), stripeIds: [] };
    const all = await listCustomerNotifications(dataSource, ref, { limit: 50, offset: 0 });
    expect(all.data).toHaveLength(10);
    const times = all.data.map((n) => n.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    const sent = all.data.find((n) => n.stripeEventId === 'evt_invoice_created')!;
    expect(sent).toEqual({
      id: notificationId('evt_invoice_created', 'invoice_created'),
      kind: 'invoice_created',
      status: 'sent',
      attempts: 2,
      lastError: null,
      nextAttemptAt: null,
      sentAt: '2024-05-01T10:00:31.000Z',
      occurredAt: new Date(1648320110 * 1000).toISOString(),
      stripeEventId: 'evt_invoice_created',
      subject: expect.objectContaining({ objectId: 'in_000000000000000000000000', amountDue: 1500 }),
      waitingBecause: null,
    });
    const first = await listCustomerNotifications(dataSource, ref, { limit: 4, offset: 0 });
    const last = await listCustomerNotifications(dataSource, ref, { limit: 4, offset: 8 });
    expect([first.hasMore, last.hasMore, last.data.length]).toEqual([true, false, 2]);
    expect([...first.data, ...last.data].map((n) => n.id)).toEqual(
      [...all.data.slice(0, 4), ...all.data.slice(8)].map((n) => n.id),
    );
  });
});
