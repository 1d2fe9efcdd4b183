import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@ledgerline/event-store';
import { platformCustomerId } from '@ledgerline/read-models';
import { eventually, loadEventFixtures, postWebhook, signWebhook } from '@ledgerline/testing';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from './api-test-app';
import { readSse } from './feeds/sse-reader';

/**
 * Issue 26, the webhook half: signed Stripe payloads that PostgreSQL cannot hold as sent (a NUL, a
 * lone surrogate), that are shaped beyond what Stripe sends (ids longer than any Stripe id, nesting
 * 10,000 deep), or signed in the future. Decision 0018 says which are stored (verbatim, their text
 * read with U+FFFD) and which are refused with a 400; none may answer 500 or park a projection.
 */
const SECRET = 'whsec_hostile_test_0123456789';
const SUPPORT = `Bearer ${TEST_KEYS.support}`;
const ADMIN = `Bearer ${TEST_KEYS.admin}`;
const CONSUMER = { Authorization: `Bearer ${TEST_KEYS.consumer}` };
const REPLACEMENT = '\uFFFD';
/** A control character (C0, DEL, C1), a line or paragraph separator, or a lone surrogate. */
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type CustomerEvent = {
  id: string;
  type: string;
  created: number;
  data: { object: Record<string, unknown> & { id: string; metadata: Record<string, unknown> } };
  [key: string]: unknown;
};

const fixture = loadEventFixtures().find((f) => f.file === 'events/stripe-ruby-mock/customer.created.json')!;
let counter = 0;

/** The fixture's customer.created, with a fresh event id and customer id (unless given) and `changes` to its customer. */
function customerCreated(changes: Record<string, unknown> = {}, eventId?: string): CustomerEvent {
  const event = JSON.parse(fixture.body) as CustomerEvent;
  counter += 1;
  event.id = eventId ?? `evt_hostile_${Date.now()}_${counter}`;
  event.created = 1_760_000_000 + counter;
  event.data.object = {
    ...event.data.object,
    id: `cus_hostile_${counter}`,
    ...changes,
  } as CustomerEvent['data']['object'];
  return event;
}

describe('POST /webhooks/stripe with hostile signed payloads (decision 0018)', () => {
  let harness: ApiTestApp;
  let store: EventStore;
  let base: string;
  let logLines: string[];
  const server = () => harness.app.getHttpServer();
  const dataSource = () => harness.app.get(DataSource);

  beforeAll(async () => {
    harness = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: SECRET }, true);
    await harness.app.listen(0, '127.0.0.1');
    base = (await harness.app.getUrl()).replace('[::1]', '127.0.0.1');
    store = harness.app.get(EVENT_STORE);
  });
  afterAll(async () => harness.close());

  beforeEach(() => {
    logLines = [];
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose', 'fatal'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((message: unknown, ...rest: unknown[]) => {
        logLines.push([message, ...rest].map(String).join(' '));
      });
    }
  });
  afterEach(() => {
    jest.restoreAllMocks();
    // Item 4 of the issue: nothing a payload carries reaches a log line unescaped.
    for (const line of logLines) expect([line, UNPRINTABLE.test(line)]).toEqual([line, false]);
  });

  /** Every projection at the head, none failing, nothing parked. */
  async function projectionsCaughtUp(): Promise<void> {
    const head = await store.headPosition();
    await eventually(
      async () => {
        const states: { position: string; status: string }[] = await dataSource().query(
          `SELECT position, status FROM projections.projection_state`,
        );
        return states.length > 1 && states.every((s) => BigInt(s.position) >= head && s.status === 'running');
      },
      20_000,
      'every projection to reach the head',
    );
    const parked = (await request(server()).get('/admin/parked').set('Authorization', ADMIN).expect(200)).body;
    expect(parked).toEqual([]);
    const projections = (await request(server()).get('/admin/projections').set('Authorization', ADMIN).expect(200))
      .body as { name: string; lastError: string | null; parked: number }[];
    for (const p of projections) expect([p.name, p.parked, p.lastError]).toEqual([p.name, 0, null]);
  }

  /** The customer as support sees it now, and as of now through time travel: the same record. */
  async function customerShown(stripeId: string): Promise<Record<string, unknown>> {
    const id = platformCustomerId(stripeId, null);
    const live = (await request(server()).get(`/customers/${id}`).set('Authorization', SUPPORT).expect(200)).body;
    expect(live.stripeIds).toEqual([stripeId]);
    const asOf = new Date().toISOString();
    const past = (
      await request(server()).get(`/customers/${id}`).query({ asOf }).set('Authorization', SUPPORT).expect(200)
    ).body;
    expect(past).toMatchObject({ id, name: live.name, metadata: live.metadata, stripeIds: [stripeId] });
    return live;
  }

  /** The event as the feed serves it to downstream consumers. */
  async function fromFeed(event: RecordedEvent): Promise<Record<string, unknown>> {
    const { status, frames } = await readSse(
      `${base}/feed?from=${event.position - 1n}&category=stripe_customer`,
      CONSUMER,
      (f) => f.some((frame) => frame.event === 'message'),
    );
    expect(status).toBe(200);
    const message = frames.find((frame) => frame.event === 'message')!;
    expect(UNPRINTABLE.test(message.data)).toBe(false);
    const served = JSON.parse(message.data) as Record<string, unknown>;
    expect(served.eventId).toBe(event.id);
    return served;
  }

  async function storedText(eventId: string): Promise<string> {
    const [row] = await dataSource().query(`SELECT data::text AS text FROM event_store.events WHERE event_id = $1`, [
      eventId,
    ]);
    return row.text as string;
  }

  it('stores an event whose id holds a NUL, under the id with U+FFFD, and projects it', async () => {
    const event = customerCreated({ name: 'Nul Id' }, `evt_hostile_nul_\u0000_${Date.now()}`);
    const body = JSON.stringify(event);
    expect(body).toContain('\\u0000');
    const response = await postWebhook(server(), body, SECRET).expect(200);
    expect(response.body).toMatchObject({ received: true, duplicate: false });
    const repairedId = event.id.replace('\u0000', REPLACEMENT);

    const stored = (await store.readEventById(response.body.eventId))!;
    expect(stored.metadata).toMatchObject({
      stripeEventId: repairedId,
      textRepair: { replaced: 1, paths: ['id'] },
    });
    expect(stored.data).toMatchObject({ id: repairedId });
    // Stored as signed: the raw bytes are kept, the text is read with U+FFFD.
    expect(await storedText(response.body.eventId)).toBe(body);
    // A redelivery is the same event.
    expect((await postWebhook(server(), body, SECRET).expect(200)).body).toMatchObject({
      eventId: response.body.eventId,
      duplicate: true,
    });

    await projectionsCaughtUp();
    const customer = await customerShown(event.data.object.id);
    expect(customer).toMatchObject({ name: 'Nul Id', lastEventId: repairedId });
    const found = await request(server())
      .get(`/stripe-events/${encodeURIComponent(repairedId)}`)
      .set('Authorization', SUPPORT)
      .expect(200);
    expect(found.body).toMatchObject({ eventId: response.body.eventId, stripeEventId: repairedId });
    expect(await fromFeed(stored)).toMatchObject({ data: { id: repairedId }, metadata: { stripeEventId: repairedId } });
  });

  it.each([
    ['a NUL', 'Ada\u0000Lovelace'],
    ['a lone high surrogate', 'Ada\ud800Lovelace'],
    ['a lone low surrogate', 'Ada\udc00Lovelace'],
  ])('stores a customer whose name holds %s, and shows it with U+FFFD everywhere', async (_label, name) => {
    const event = customerCreated({
      name,
      email: 'ada@example.com',
      metadata: { company: `Analytical${name.slice(3, 4)}Engines`, [`note${name.slice(3, 4)}`]: name },
    });
    const body = JSON.stringify(event);
    const response = await postWebhook(server(), body, SECRET).expect(200);
    const shown = 'Ada\uFFFDLovelace';

    const stored = (await store.readEventById(response.body.eventId))!;
    // In document order (the fixture's metadata comes before its name), a key before its value.
    expect(stored.metadata.textRepair).toEqual({
      replaced: 4,
      places: 4,
      paths: [
        'data.object.metadata.company',
        'data.object.metadata["note\uFFFD"] (key)',
        'data.object.metadata["note\uFFFD"]',
        'data.object.name',
      ],
    });
    expect(await storedText(response.body.eventId)).toBe(body);

    await projectionsCaughtUp();
    const customer = await customerShown(event.data.object.id);
    expect(customer).toMatchObject({
      name: shown,
      firstName: 'Ada\uFFFDLovelace',
      company: 'Analytical\uFFFDEngines',
      metadata: { company: 'Analytical\uFFFDEngines', 'note\uFFFD': shown },
    });
    const search = await request(server())
      .get('/customers')
      .query({ q: 'analytical' })
      .set('Authorization', SUPPORT)
      .expect(200);
    expect(search.body.data.map((c: { stripeId: string }) => c.stripeId)).toContain(event.data.object.id);
    const objects = await request(server())
      .get(`/stripe-objects/${event.data.object.id}`)
      .set('Authorization', SUPPORT)
      .expect(200);
    expect(objects.body.data).toMatchObject({ name: shown });
    expect(await fromFeed(stored)).toMatchObject({
      data: { data: { object: { name: shown } } },
      metadata: { textRepair: { replaced: 4 } },
    });
  });

  it('refuses an object id of 100 KB with a 400 naming the field, and stores nothing', async () => {
    const event = customerCreated({ id: `cus_${'x'.repeat(100 * 1024)}` });
    const head = await store.headPosition();
    const response = await postWebhook(server(), JSON.stringify(event), SECRET).expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      message: expect.stringContaining('"data.object.id" is 102404 characters long'),
      error: 'Bad Request',
    });
    expect(await store.headPosition()).toBe(head);
  });

  it('refuses an event id longer than any Stripe id with a 400 naming it', async () => {
    const event = customerCreated({}, `evt_${'1'.repeat(300)}`);
    const head = await store.headPosition();
    const response = await postWebhook(server(), JSON.stringify(event), SECRET).expect(400);
    expect(response.body.message).toContain('"id" is 304 characters long');
    expect(await store.headPosition()).toBe(head);
  });

  it('refuses metadata nested 10,000 deep with a 400, and stores nothing', async () => {
    const event = customerCreated({ metadata: { deep: '__DEEP__' } });
    const deep = `${'{"a":'.repeat(10_000)}"bottom"${'}'.repeat(10_000)}`;
    const body = JSON.stringify(event).replace('"__DEEP__"', deep);
    const head = await store.headPosition();
    const response = await postWebhook(server(), body, SECRET).expect(400);
    expect(response.body.message).toContain('nests deeper than 64 levels');
    expect(await store.headPosition()).toBe(head);
  });

  it('stores metadata nested as deep as the limit allows, and shows it', async () => {
    // The event is at depth 1, data.object.metadata at 4: 60 more levels fit in the 64.
    let nested: unknown = 'bottom';
    for (let level = 0; level < 59; level++) nested = { a: nested };
    const event = customerCreated({ name: 'Deep Metadata', metadata: { deep: nested } });
    await postWebhook(server(), JSON.stringify(event), SECRET).expect(200);
    await projectionsCaughtUp();
    const customer = await customerShown(event.data.object.id);
    expect(customer.metadata).toEqual({ deep: nested });
  });

  it('refuses a signature timestamped an hour in the future with a 400, and stores nothing', async () => {
    const body = JSON.stringify(customerCreated());
    const head = await store.headPosition();
    const response = await request(server())
      .post('/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signWebhook(body, SECRET, Math.floor(Date.now() / 1000) + 3_600))
      .send(body)
      .expect(400);
    expect(response.body.message).toContain('outside the 300 s tolerance');
    expect(await store.headPosition()).toBe(head);
    // Within the tolerance either way is still accepted (clocks drift).
    const soon = JSON.stringify(customerCreated());
    await request(server())
      .post('/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signWebhook(soon, SECRET, Math.floor(Date.now() / 1000) + 60))
      .send(soon)
      .expect(200);
  });

  it('stores a customer whose name is 200,000 characters of text no index can hold whole, and shows it', async () => {
    let name = '';
    for (let i = 0; name.length < 200_000; i++) name += String.fromCodePoint(0x4e00 + ((i * 7919) % 20_000));
    const event = customerCreated({ name });
    await postWebhook(server(), JSON.stringify(event), SECRET).expect(200);
    await projectionsCaughtUp();
    const customer = await customerShown(event.data.object.id);
    expect(customer.name).toBe(name);
  });
});

describe('POST /webhooks/stripe with a hostile event id when the store is down', () => {
  let harness: ApiTestApp;
  beforeAll(async () => {
    harness = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: SECRET });
  });
  afterAll(async () => harness.close());

  it('answers 500 and logs the id escaped and cut short, never the raw NUL or its 200 characters', async () => {
    await harness.database.drop();
    const lines: string[] = [];
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      lines.push(String(message));
    });
    try {
      const event = customerCreated({}, `evt_\u0000\u001b[31m_${'z'.repeat(200)}`);
      await postWebhook(harness.app.getHttpServer(), JSON.stringify(event), SECRET).expect(500);
    } finally {
      spy.mockRestore();
    }
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(UNPRINTABLE.test(line)).toBe(false);
      expect(line).not.toContain('z'.repeat(100));
    }
    expect(lines.join('\n')).toContain('evt_\\u0000\\u001b[31m_zzz');
  });
});
