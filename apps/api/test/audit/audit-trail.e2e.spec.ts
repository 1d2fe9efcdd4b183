import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { postWebhook } from '@ledgerline/testing';
import { type ApiTestApp, projectionsCaughtUp, startApiTestApp, TEST_KEYS } from '../api-test-app';
import { supportStory } from '../support-story';

const SECRET = 'whsec_audit_test_0123456789';
const support = `Bearer ${TEST_KEYS.support}`;

interface AuditEntry {
  at: string;
  causedBy: string | null;
  description: string;
  actor: string;
  type: string;
  stream: string;
  eventId: string;
  position: number;
}

/**
 * The support story (one customer's life in Stripe webhooks, from the shared fixtures) with two
 * support edits in it, fed one step at a time; after each step the live records are captured with
 * the time, so time travel can be held against what the read models really showed then.
 */
describe('audit trail and time travel (HTTP)', () => {
  let api: ApiTestApp;
  let store: EventStore;
  const http = () => request(api.app.getHttpServer());
  const captured: { at: string; customer: unknown; subscription: unknown }[] = [];
  const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

  const caughtUp = () => projectionsCaughtUp(api);
  const capture = async () => {
    await caughtUp();
    await pause();
    const customer = await http().get('/customers/cus_story').set('Authorization', support);
    const subscription = await http().get('/subscriptions/sub_story').set('Authorization', support);
    // The status history and the outbound sync's state are the live record's only (not folded as of a time).
    const { history: _history, stripeSync: _stripeSync, ...record } = subscription.body as Record<string, unknown>;
    const { stripeSync: _customerSync, ...customerRecord } = customer.body as Record<string, unknown>;
    captured.push({
      at: new Date().toISOString(),
      customer: customerRecord,
      subscription: subscription.status === 200 ? record : null,
    });
    await pause();
  };

  beforeAll(async () => {
    api = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: SECRET }, true);
    store = api.app.get(EVENT_STORE);
    const story = supportStory();
    const firstCustomerEvent = story.findIndex((event) => event.type === 'customer.created');
    for (const [index, event] of story.entries()) {
      await postWebhook(api.app.getHttpServer(), event, SECRET).expect(200);
      if (index < firstCustomerEvent) continue;
      if (index === firstCustomerEvent + 3) {
        await http()
          .patch('/customers/cus_story')
          .set('Authorization', support)
          .set('X-Request-Id', 'ticket-4711')
          .send({ phone: '+1 555 0100' })
          .expect(200);
        // A platform command on the Stripe-born subscription: its trail then spans both streams.
        await http()
          .patch('/subscriptions/sub_story')
          .set('Authorization', support)
          .send({ shipmentsRemaining: 4 })
          .expect(200);
      }
      if (index === firstCustomerEvent + 9) {
        await http()
          .patch('/customers/cus_story')
          .set('Authorization', support)
          .send({ email: 'grace@fleet.example' })
          .expect(200);
      }
      await capture();
    }
    // Stripe's echo of the phone edit, as the Stripe sync's call would cause it (idempotency key of ours).
    const [edit] = await store.readStream(`customer-${(captured[0]!.customer as { id: string }).id}`);
    const customerCreated = story[firstCustomerEvent]!;
    await postWebhook(
      api.app.getHttpServer(),
      {
        ...customerCreated,
        id: 'evt_story_echo',
        type: 'customer.updated',
        created: customerCreated.created + 3_600,
        request: { id: 'req_echo', idempotency_key: `ledgerline-${edit!.id}-update` },
        data: {
          object: { ...customerCreated.data.object, phone: '+1 555 0100' },
          previous_attributes: { phone: null },
        },
      },
      SECRET,
    ).expect(200);
    await capture();
  }, 120_000);
  afterAll(() => api?.close());

  it('time travel returns, at each captured instant, the customer and subscription the read models showed then', async () => {
    // The captures differ from one another: matching each one is matching a moment, not a constant.
    expect(new Set(captured.map((c) => JSON.stringify(c.customer))).size).toBeGreaterThanOrEqual(3);
    expect(new Set(captured.map((c) => JSON.stringify(c.subscription))).size).toBeGreaterThanOrEqual(4);
    for (const moment of captured) {
      const customer = await http()
        .get('/customers/cus_story')
        .query({ asOf: moment.at })
        .set('Authorization', support)
        .expect(200);
      expect(customer.body).toEqual(moment.customer);
      expect(customer.headers['ledgerline-as-of']).toBe(moment.at);
      const subscription = await http()
        .get('/subscriptions/sub_story')
        .query({ asOf: moment.at })
        .set('Authorization', support);
      if (moment.subscription === null) expect(subscription.status).toBe(404);
      else expect(subscription.body).toEqual(moment.subscription);
    }
    // The platform id finds the same past record as the Stripe id.
    const id = (captured[0]!.customer as { id: string }).id;
    const byId = await http().get(`/customers/${id}`).query({ asOf: captured[5]!.at }).set('Authorization', support);
    expect(byId.body).toEqual(captured[5]!.customer);
  });

  it('answers 404 before the customer existed and 400 naming asOf for a bad time', async () => {
    const before = await http()
      .get('/customers/cus_story')
      .query({ asOf: '2001-01-01T00:00:00Z' })
      .set('Authorization', support)
      .expect(404);
    expect((before.body as { message: string }).message).toContain('existed at 2001-01-01T00:00:00.000Z');
    const bad = await http().get('/customers/cus_story').query({ asOf: 'last tuesday' }).set('Authorization', support);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('asOf must be an ISO 8601 time');
  });

  it('lists every event that shaped the customer from all its streams, in time order, with description and actor', async () => {
    const response = await http()
      .get('/customers/cus_story/audit')
      .query({ limit: 500 })
      .set('Authorization', support)
      .expect(200);
    const entries = (response.body as { entries: AuditEntry[] }).entries;
    const streams = new Set(entries.map((entry) => entry.stream.split('-')[0]));
    for (const category of [
      'customer',
      'stripe_customer',
      'stripe_subscription',
      'stripe_invoice',
      'stripe_charge',
      'stripe_dispute',
      'stripe_payment_method',
    ]) {
      expect(streams).toContain(category);
    }
    // Nothing of another customer, nothing without a customer (products, prices).
    expect(entries.some((entry) => entry.stream.startsWith('stripe_product'))).toBe(false);
    const times = entries.map((entry) => `${entry.at}|${String(entry.position).padStart(12, '0')}`);
    expect(times).toEqual([...times].sort());
    expect(entries.every((entry) => entry.description.length > 0 && entry.actor.length > 0)).toBe(true);
    const edit = entries.find((entry) => entry.type === 'CustomerDetailsChanged')!;
    expect(edit).toMatchObject({ actor: 'support-tester' });
    expect(edit.description).toMatch(/phone/i);
    const echo = entries.find(
      (entry) =>
        entry.stream === 'stripe_customer-cus_story' &&
        entry.type === 'customer.updated' &&
        entry.description.includes('phone'),
    )!;
    expect(echo).toMatchObject({ actor: 'support-tester (through stripe-sync)', causedBy: edit.eventId });
    const dispute = entries.find((entry) => entry.type === 'charge.dispute.created')!;
    expect(dispute.description).toMatch(/^Dispute opened/);
    expect(dispute.actor).toMatch(/^stripe:/);

    // Pages of 4 add up to the whole, either way round.
    const pages: AuditEntry[] = [];
    let after: string | null = null;
    do {
      const page = await http()
        .get('/customers/cus_story/audit')
        .query({ limit: 4, ...(after ? { after } : {}) })
        .set('Authorization', support)
        .expect(200);
      const body = page.body as { entries: AuditEntry[]; next: string | null };
      pages.push(...body.entries);
      after = body.next;
    } while (after);
    expect(pages.map((e) => e.eventId)).toEqual(entries.map((e) => e.eventId));
    const newestFirst = await http()
      .get('/customers/cus_story/audit')
      .query({ limit: 500, order: 'desc' })
      .set('Authorization', support)
      .expect(200);
    expect((newestFirst.body as { entries: AuditEntry[] }).entries.map((e) => e.eventId)).toEqual(
      entries.map((e) => e.eventId).reverse(),
    );
    await http()
      .get('/customers/cus_story/audit')
      .query({ after: 'nonsense' })
      .set('Authorization', support)
      .expect(400);
    await http().get('/customers/cus_nobody/audit').set('Authorization', support).expect(404);
  });

  it("lists a subscription's trail from its Stripe and platform streams, in time order, paged either way", async () => {
    const all = await http()
      .get('/subscriptions/sub_story/audit')
      .query({ limit: 500 })
      .set('Authorization', support)
      .expect(200);
    const entries = (all.body as { entries: AuditEntry[] }).entries;
    const stripeEvents = await store.readStream('stripe_subscription-sub_story');
    expect(
      entries
        .filter((e) => e.stream === 'stripe_subscription-sub_story')
        .map((e) => e.eventId)
        .sort(),
    ).toEqual(stripeEvents.map((e) => e.id).sort());
    const edit = entries.find((e) => e.type === 'SubscriptionShipmentsRemainingChanged')!;
    expect(edit).toMatchObject({ actor: 'support-tester', stream: expect.stringMatching(/^subscription-/) });
    const times = entries.map((entry) => `${entry.at}|${String(entry.position).padStart(12, '0')}`);
    expect(times).toEqual([...times].sort());
    expect(entries.every((entry) => entry.description.length > 0)).toBe(true);

    for (const order of ['asc', 'desc'] as const) {
      const paged: string[] = [];
      let after: string | null = null;
      do {
        const page = await http()
          .get('/subscriptions/sub_story/audit')
          .query({ limit: 3, order, ...(after ? { after } : {}) })
          .set('Authorization', support)
          .expect(200);
        const body = page.body as { entries: AuditEntry[]; next: string | null };
        paged.push(...body.entries.map((e) => e.eventId));
        after = body.next;
      } while (after);
      const whole = entries.map((e) => e.eventId);
      expect(paged).toEqual(order === 'asc' ? whole : [...whole].reverse());
    }
    await http().get('/subscriptions/sub_story/audit').query({ after: 'x' }).set('Authorization', support).expect(400);
    await http().get('/subscriptions/sub_nobody/audit').set('Authorization', support).expect(404);
  });

  it('pages a stream forwards and backwards with every event metadata', async () => {
    const all = await http().get('/streams/stripe_customer-cus_story').set('Authorization', support).expect(200);
    const events = (all.body as { events: { revision: number; metadata: Record<string, unknown>; source: string }[] })
      .events;
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[0]).toMatchObject({
      revision: 0,
      source: 'stripe',
      metadata: expect.objectContaining({ stripeEventId: expect.any(String) }),
    });

    const first = await http()
      .get('/streams/stripe_customer-cus_story')
      .query({ limit: 1 })
      .set('Authorization', support)
      .expect(200);
    const firstBody = first.body as {
      events: { revision: number }[];
      next: { from: number; direction: string } | null;
      previous: unknown;
    };
    expect(firstBody.events.map((e) => e.revision)).toEqual([0]);
    expect(firstBody.next).toEqual({ from: 1, direction: 'forwards' });
    expect(firstBody.previous).toBeNull();

    const last = events.length - 1;
    const backwards = await http()
      .get('/streams/stripe_customer-cus_story')
      .query({ direction: 'backwards', limit: 1 })
      .set('Authorization', support)
      .expect(200);
    const backBody = backwards.body as { events: { revision: number }[]; next: unknown; previous: unknown };
    expect(backBody.events.map((e) => e.revision)).toEqual([last]);
    expect(backBody.next).toEqual({ from: last - 1, direction: 'backwards' });

    const platform = captured.length && (captured[0]!.customer as { id: string }).id;
    const edits = await http().get(`/streams/customer-${platform}`).set('Authorization', support).expect(200);
    expect((edits.body as { events: unknown[] }).events[0]).toMatchObject({
      type: 'CustomerDetailsChanged',
      source: 'platform',
      actor: 'support-tester',
      correlationId: 'ticket-4711',
      causationId: expect.any(String),
      occurredAt: expect.any(String),
      recordedAt: expect.any(String),
    });

    await http().get('/streams/no-such-stream').set('Authorization', support).expect(404);
    await http()
      .get('/streams/stripe_customer-cus_story')
      .query({ direction: 'sideways' })
      .set('Authorization', support)
      .expect(400);
    await http()
      .get('/streams/stripe_customer-cus_story')
      .set('Authorization', `Bearer ${TEST_KEYS.consumer}`)
      .expect(403);
  });
});
