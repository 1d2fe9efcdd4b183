import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@ledgerline/event-store';
import { loadEventFixtures, loadObjectFixture, shuffle, signWebhook } from '@ledgerline/testing';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from './api-test-app';

const SECRET = 'whsec_test_primary_0123456789';
const ROTATED = 'whsec_test_rotated_9876543210';
const CONNECT = 'whsec_test_connect_5555555555';

/** The types the platform's Stripe integration handles (issue 3), wildcards expanded. */
const MUST_HANDLE: [string, string][] = [
  ...['captured', 'expired', 'failed', 'pending', 'refunded', 'succeeded', 'updated'].map((e): [string, string] => [
    `charge.${e}`,
    'charge',
  ]),
  ...['closed', 'created', 'funds_reinstated', 'funds_withdrawn', 'updated'].map((e): [string, string] => [
    `charge.dispute.${e}`,
    'dispute',
  ]),
  ...['created', 'updated', 'voided'].map((e): [string, string] => [`credit_note.${e}`, 'credit_note']),
  ...['created', 'deleted', 'updated'].map((e): [string, string] => [`customer.${e}`, 'customer']),
  ...['created', 'deleted', 'expiring', 'updated'].map((e): [string, string] => [`customer.source.${e}`, 'source']),
  ...['created', 'deleted', 'trial_will_end', 'updated'].map((e): [string, string] => [
    `customer.subscription.${e}`,
    'subscription',
  ]),
  ...[
    'created',
    'deleted',
    'finalized',
    'marked_uncollectible',
    'paid',
    'payment_action_required',
    'payment_failed',
    'payment_succeeded',
    'updated',
    'voided',
  ].map((e): [string, string] => [`invoice.${e}`, 'invoice']),
  ...['amount_capturable_updated', 'canceled', 'created', 'payment_failed', 'requires_action', 'succeeded'].map(
    (e): [string, string] => [`payment_intent.${e}`, 'payment_intent'],
  ),
  ...['canceled', 'created', 'requires_action', 'setup_failed', 'succeeded'].map((e): [string, string] => [
    `setup_intent.${e}`,
    'setup_intent',
  ]),
  ...['canceled', 'chargeable', 'failed'].map((e): [string, string] => [`source.${e}`, 'source']),
  ...['aborted', 'canceled', 'completed', 'expiring', 'released', 'updated'].map((e): [string, string] => [
    `subscription_schedule.${e}`,
    'subscription_schedule',
  ]),
  ...['product', 'price', 'plan', 'coupon'].flatMap((r) =>
    ['created', 'updated', 'deleted'].map((e): [string, string] => [`${r}.${e}`, r]),
  ),
  ...['attached', 'detached', 'updated', 'automatically_updated'].map((e): [string, string] => [
    `payment_method.${e}`,
    'payment_method',
  ]),
  ...['created', 'updated', 'failed'].map((e): [string, string] => [`refund.${e}`, 'refund']),
];

describe('POST /webhooks/stripe', () => {
  let harness: ApiTestApp;
  let store: EventStore;
  let counter = 0;

  const post = (body: string, signature?: string) => {
    const req = request(harness.app.getHttpServer()).post('/webhooks/stripe').set('Content-Type', 'application/json');
    return (signature === undefined ? req : req.set('Stripe-Signature', signature)).send(body);
  };
  const postSigned = (body: string, secret = SECRET) => post(body, signWebhook(body, secret));
  const storedEvents = async (): Promise<RecordedEvent[]> => {
    const all: RecordedEvent[] = [];
    for (let from = 0n; ;) {
      const page = await store.readAll({ from, maxCount: 1_000 });
      all.push(...page.events);
      if (page.events.length < 1_000) return all;
      from = page.nextFrom;
    }
  };
  const freshEvent = (type: string, object: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    id: `evt_test_${Date.now()}_${counter++}`,
    object: 'event',
    api_version: '2024-06-20',
    created: 1_700_000_000 + counter,
    livemode: false,
    pending_webhooks: 1,
    request: { id: `req_${counter}`, idempotency_key: `idem-${counter}` },
    type,
    data: { object },
    ...extra,
  });

  beforeAll(async () => {
    harness = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: `${SECRET},${ROTATED},${CONNECT}` });
    store = harness.app.get(EVENT_STORE);
  });
  afterAll(async () => harness.close());

  it('stores every fixture event once, in shuffled order, and answers every redelivery as a duplicate', async () => {
    const fixtures = shuffle(loadEventFixtures());
    expect(fixtures.length).toBeGreaterThan(140);
    const before = (await storedEvents()).length;

    const firstPass = [];
    for (const fixture of fixtures) {
      const response = await postSigned(fixture.body);
      expect([fixture.file, response.status]).toEqual([fixture.file, 200]);
      expect(response.body).toMatchObject({ received: true, eventId: expect.any(String) });
      firstPass.push({
        id: fixture.event.id,
        duplicate: response.body.duplicate as boolean,
        eventId: response.body.eventId,
      });
    }
    const distinct = new Set(fixtures.map((f) => f.event.id));
    for (const id of distinct) {
      const posts = firstPass.filter((p) => p.id === id);
      expect([id, posts.filter((p) => !p.duplicate).length]).toEqual([id, 1]);
      expect(new Set(posts.map((p) => p.eventId)).size).toBe(1);
    }

    for (const fixture of shuffle(fixtures, 7)) {
      const response = await postSigned(fixture.body);
      expect([fixture.file, response.status, response.body.duplicate]).toEqual([fixture.file, 200, true]);
    }
    const stored = (await storedEvents()).slice(before);
    expect(stored).toHaveLength(distinct.size);
    expect(new Set(stored.map((e) => e.metadata.stripeEventId))).toEqual(distinct);
  }, 120_000);

  it('keeps the body byte for byte, whitespace, key order and trailing newline included', async () => {
    const fixture = loadEventFixtures().find((f) => f.body.includes('\n  '))!;
    const body = fixture.body.replace(fixture.event.id, `evt_bytes_${counter++}`);
    const response = await postSigned(body).expect(200);
    const [row] = await harness.app
      .get(DataSource)
      .query('SELECT data::text AS text FROM event_store.events WHERE event_id = $1', [response.body.eventId]);
    expect(body.endsWith('\n')).toBe(true);
    // The signed bytes themselves: the stored event can be verified against its signature again.
    expect(row.text).toBe(body);
  });

  it('stores each type the platform must handle, verbatim, in its object stream with the envelope metadata', async () => {
    for (const [type, resource] of MUST_HANDLE) {
      const object = loadObjectFixture(resource);
      const payload = freshEvent(type, object);
      const body = JSON.stringify(payload);
      const response = await postSigned(body).expect(200);
      expect(response.body.duplicate).toBe(false);

      const stored = await store.readEventById(response.body.eventId);
      expect(stored).not.toBeNull();
      expect(stored!.type).toBe(type);
      expect(stored!.stream).toBe(`stripe_${String(object.object)}-${String(object.id)}`);
      expect(stored!.data).toEqual(payload);
      expect(JSON.stringify(stored!.data)).toBe(body);
      expect(stored!.metadata).toMatchObject({
        source: 'stripe',
        stripeEventId: payload.id,
        stripeAccount: null,
        apiVersion: '2024-06-20',
        livemode: false,
        occurredAt: new Date(payload.created * 1000).toISOString(),
        stripeIdempotencyKey: payload.request.idempotency_key,
      });
      expect(Date.parse(stored!.metadata.recordedAt)).not.toBeNaN();
    }
  }, 60_000);

  it('routes Connect events to their account’s streams and events without an object id to a per-account type stream', async () => {
    const customer = loadObjectFixture('customer');
    const connect = freshEvent('customer.updated', customer, { account: 'acct_1Connected' });
    const balance = freshEvent(
      'balance.available',
      { object: 'balance', available: [] },
      { account: 'acct_1Connected' },
    );
    const upcoming = freshEvent('invoice.upcoming', { object: 'invoice', id: null, amount_due: 100 });
    const unknown = freshEvent('ledgerline.brand_new_type', { id: 'zz_1', object: 'brand_new.thing' });

    const routes: string[] = [];
    for (const [payload, secret] of [
      [connect, CONNECT],
      [balance, CONNECT],
      [upcoming, SECRET],
      [unknown, ROTATED],
    ] as const) {
      const response = await postSigned(JSON.stringify(payload), secret).expect(200);
      routes.push((await store.readEventById(response.body.eventId))!.stream);
    }
    expect(routes).toEqual([
      `stripe_customer-acct_1Connected-${String(customer.id)}`,
      'stripe_event_type-acct_1Connected-balance.available',
      'stripe_event_type-platform-invoice.upcoming',
      'stripe_brand_new_thing-zz_1',
    ]);
    const [stored] = await store.readStream(routes[0]!, { direction: 'backwards', maxCount: 1 });
    expect(stored!.metadata.stripeAccount).toBe('acct_1Connected');
  });

  it('stores an event posted 20 times at once exactly once', async () => {
    const payload = freshEvent('invoice.paid', loadObjectFixture('invoice'));
    const body = JSON.stringify(payload);
    const responses = await Promise.all(Array.from({ length: 20 }, () => postSigned(body)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(new Set(responses.map((r) => r.body.eventId)).size).toBe(1);
    const event = await store.readEventById(responses[0]!.body.eventId);
    const copies = (await store.readStream(event!.stream)).filter((e) => e.metadata.stripeEventId === payload.id);
    expect(copies).toHaveLength(1);
  });

  describe('bad input: a clear 4xx and nothing stored', () => {
    const valid = () => JSON.stringify(freshEvent('customer.created', loadObjectFixture('customer')));
    const oldTimestamp = () => Math.floor(Date.now() / 1000) - 301;
    const cases: [string, () => Promise<request.Response>, number, string][] = [
      ['a missing Stripe-Signature', () => post(valid()), 400, 'Missing Stripe-Signature header'],
      ['a malformed Stripe-Signature', () => post(valid(), 'garbage'), 400, 'Malformed Stripe-Signature header'],
      [
        'a signature made with another secret',
        () => postSigned(valid(), 'whsec_someone_else_000000'),
        400,
        'does not match',
      ],
      [
        'a timestamp outside the tolerance',
        () => {
          const b = valid();
          return post(b, signWebhook(b, SECRET, oldTimestamp()));
        },
        400,
        'outside the 300 s tolerance',
      ],
      ['a body that is not JSON', () => postSigned('{"id": "evt_1", '), 400, 'not valid JSON'],
      [
        'JSON that is not a Stripe event',
        () => postSigned('{"id":"cus_1","object":"customer"}'),
        400,
        'missing "type", "object": "event"',
      ],
      ['a JSON array', () => postSigned('[1,2,3]'), 400, 'not a Stripe Event object'],
      [
        'a body over 1 MiB',
        () => postSigned(JSON.stringify({ ...freshEvent('customer.created', {}), pad: 'x'.repeat(1024 * 1024) })),
        413,
        'larger than the 1 MiB limit',
      ],
    ];

    it.each(cases)('rejects %s', async (_label, send, status, message) => {
      const head = await store.headPosition();
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ statusCode: status, message: expect.stringContaining(message) });
      expect(await store.headPosition()).toBe(head);
    });

    it('logs a rejection with its reason and size, never the payload', async () => {
      const lines: string[] = [];
      const spy = jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
        lines.push(String(message));
      });
      try {
        const body = JSON.stringify({
          ...freshEvent('customer.created', { email: 'ada@example.com', name: 'Ada Lovelace' }),
        });
        await postSigned(body, 'whsec_someone_else_000000').expect(400);
      } finally {
        spy.mockRestore();
      }
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('signature_mismatch');
      expect(lines[0]).not.toMatch(/ada@example\.com|Lovelace|customer\.created/);
    });

    it('counts rejections by reason in /metrics', async () => {
      const metrics = (await request(harness.app.getHttpServer()).get('/metrics')).text;
      for (const reason of [
        'missing_signature',
        'malformed_signature',
        'signature_mismatch',
        'timestamp_outside_tolerance',
        'invalid_json',
        'not_a_stripe_event',
        'payload_too_large',
      ]) {
        expect(metrics).toMatch(
          new RegExp(`ledgerline_stripe_webhooks_rejected_total\\{reason="${reason}"[^}]*\\} [1-9]`),
        );
      }
    });
  });

  it('counts received, stored and duplicate webhooks by type in /metrics', async () => {
    const body = JSON.stringify(freshEvent('coupon.created', loadObjectFixture('coupon')));
    const scrape = async () => (await request(harness.app.getHttpServer()).get('/metrics')).text;
    const value = (text: string, name: string) =>
      Number(new RegExp(`${name}\\{type="coupon.created"[^}]*\\} (\\d+)`).exec(text)?.[1] ?? 0);
    const before = await scrape();
    await postSigned(body).expect(200);
    await postSigned(body).expect(200);
    const after = await scrape();
    expect(
      value(after, 'ledgerline_stripe_webhooks_received_total') -
        value(before, 'ledgerline_stripe_webhooks_received_total'),
    ).toBe(2);
    expect(
      value(after, 'ledgerline_stripe_webhooks_stored_total') -
        value(before, 'ledgerline_stripe_webhooks_stored_total'),
    ).toBe(1);
    expect(
      value(after, 'ledgerline_stripe_webhooks_duplicate_total') -
        value(before, 'ledgerline_stripe_webhooks_duplicate_total'),
    ).toBe(1);
  });

  describe('GET /stripe-events/:evtId', () => {
    it('returns where the event was stored, and 404 for one never received', async () => {
      const payload = freshEvent('charge.succeeded', loadObjectFixture('charge'));
      const posted = await postSigned(JSON.stringify(payload)).expect(200);
      const auth = `Bearer ${TEST_KEYS.support}`;
      const found = await request(harness.app.getHttpServer())
        .get(`/stripe-events/${payload.id}`)
        .set('Authorization', auth)
        .expect(200);
      const stored = await store.readEventById(posted.body.eventId);
      expect(found.body).toEqual({
        eventId: posted.body.eventId,
        stripeEventId: payload.id,
        stream: stored!.stream,
        revision: Number(stored!.revision),
        position: Number(stored!.position),
        type: 'charge.succeeded',
        recordedAt: stored!.metadata.recordedAt,
      });
      const missing = await request(harness.app.getHttpServer())
        .get('/stripe-events/evt_never_sent')
        .set('Authorization', auth)
        .expect(404);
      expect(missing.body.message).toContain('evt_never_sent');
    });
  });
});

describe('POST /webhooks/stripe without STRIPE_WEBHOOK_SECRETS', () => {
  let harness: ApiTestApp;
  beforeAll(async () => {
    harness = await startApiTestApp();
  });
  afterAll(async () => harness.close());

  it('rejects every webhook with 400 naming the missing setting', async () => {
    const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'customer.created', data: { object: {} } });
    const response = await request(harness.app.getHttpServer())
      .post('/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signWebhook(body, SECRET))
      .send(body)
      .expect(400);
    expect(response.body.message).toContain('STRIPE_WEBHOOK_SECRETS');
    expect(await harness.app.get<EventStore>(EVENT_STORE).headPosition()).toBe(0n);
  });
});

describe('POST /webhooks/stripe when the store is down', () => {
  let harness: ApiTestApp;
  beforeAll(async () => {
    harness = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: SECRET });
  });
  afterAll(async () => harness.close());

  it('answers 500, never 2xx, so that Stripe delivers the event again', async () => {
    await harness.database.drop();
    const body = JSON.stringify({
      id: 'evt_store_down',
      object: 'event',
      type: 'customer.created',
      data: { object: { id: 'cus_1', object: 'customer' } },
    });
    const response = await request(harness.app.getHttpServer())
      .post('/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signWebhook(body, SECRET))
      .send(body);
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      statusCode: 500,
      message: 'The event could not be stored; Stripe will retry',
      error: 'Internal Server Error',
    });
  });
});
