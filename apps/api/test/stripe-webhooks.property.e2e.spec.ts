import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore, matchesFilter, type RecordedEvent } from '@ledgerline/event-store';
import { allProjectors, platformCustomerId } from '@ledgerline/read-models';
import { eventually, loadEventFixtures, signWebhook } from '@ledgerline/testing';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from './api-test-app';
import { readSse } from './feeds/sse-reader';

/**
 * Issue 26, the webhook half, as a property: signed customer.created / customer.updated webhooks
 * (the published fixtures) with hostile values in names, emails, metadata keys and values, ids and
 * the signature's time. Whatever is sent: never a 5xx; a 4xx stores nothing; a 2xx is stored once,
 * shown by GET /customers/:id (and as of now) with its text as decision 0018 says (a NUL or a lone
 * surrogate as U+FFFD), served by the feed, and parks nothing. And nothing valid is refused: the
 * answer is the one the decision gives for what was sent. fast-check prints the seed and the
 * smallest failing input when the property fails.
 */
const SECRET = 'whsec_property_test_0123456789';
const SUPPORT = `Bearer ${TEST_KEYS.support}`;
const CONSUMER = { Authorization: `Bearer ${TEST_KEYS.consumer}` };
const MAX_DEPTH = 64;
const MAX_ID_LENGTH = 255;
const MAX_STREAM_NAME_LENGTH = 512;
const BODY_LIMIT = 1024 * 1024;

// The test's own reading of the decision, written apart from the code it checks.
const LONE_OR_NUL = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const shown = (text: string) => text.replace(LONE_OR_NUL, '\uFFFD');
const hasUnstorable = (text: string) => new RegExp(LONE_OR_NUL.source).test(text);

/** Single characters that have broken, or could break, something between the body and a screen. */
const ODD = [
  '\u0000',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u0001',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u200b',
  '\ufeff',
  '\ufffd',
  '"',
  '\\',
  "'",
  '%',
  '_',
  '-',
  '😀',
  'é',
  ' ',
];
const unit = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD) },
);
/** Up to 200,000 characters: more than any index entry holds, sometimes more than the 1 MiB body limit. */
const huge = fc
  .tuple(fc.integer({ min: 3_000, max: 200_000 }), fc.integer({ min: 0x4e00, max: 0x9fff }))
  .map(([length, start]) =>
    Array.from({ length }, (_, i) => String.fromCharCode(start + ((i * 7919) % 2000))).join(''),
  );
const text = fc.oneof({ weight: 12, arbitrary: fc.string({ unit, maxLength: 24 }) }, { weight: 1, arbitrary: huge });
const key = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      '',
      'company',
      'department',
      'first_name',
      'last_name',
      'a.b',
      '0',
      '$ref',
    ),
  },
  { weight: 4, arbitrary: fc.string({ unit, maxLength: 12 }) },
  { weight: 1, arbitrary: huge.map((h) => h.slice(0, 1_000)) },
);
/** A value nested `levels` deep, written into the body as text (JSON.stringify cannot write 10,000 levels). */
const deep = fc
  .oneof(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 10_000 }))
  .map((levels) => ({ levels }));
const metadataValue = fc.oneof({ weight: 4, arbitrary: text }, { weight: 1, arbitrary: deep });

interface Case {
  type: 'customer.created' | 'customer.updated';
  eventIdSuffix: string;
  objectIdSuffix: string;
  name: string | null;
  email: string | null;
  metadata: [string, string | { levels: number }][];
  previous: [string, string][];
  skewSeconds: number;
}

const idSuffix = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.string({ unit, maxLength: 8 }) },
  {
    // Around what a stream name holds (512 with its category), and far beyond it.
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.oneof(fc.integer({ min: 200, max: 600 }), fc.integer({ min: 200, max: 100_000 })),
        fc.constantFrom('x', 'é', '中', '😀'),
      )
      .map(([length, character]) => character.repeat(Math.ceil(length / character.length))),
  },
);
const cases: fc.Arbitrary<Case> = fc.record({
  type: fc.constantFrom('customer.created' as const, 'customer.updated' as const),
  eventIdSuffix: idSuffix,
  objectIdSuffix: idSuffix,
  name: fc.option(text, { nil: null }),
  email: fc.option(text, { nil: null }),
  metadata: fc.array(fc.tuple(key, metadataValue), { maxLength: 6 }),
  previous: fc.array(fc.tuple(key, text), { maxLength: 3 }),
  skewSeconds: fc.oneof(
    { weight: 8, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.constantFrom(60, -60) },
    { weight: 1, arbitrary: fc.constantFrom(3_600, -3_600) },
  ),
});

/** An object with these own properties, `__proto__` included, later entries winning as in JSON. */
function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [name, value] of entries) {
    Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/** The metadata as it must be shown: keys and values read with U+FFFD, a key made equal to another one lengthened. */
function shownMetadata(entries: [string, unknown][]): Record<string, unknown> {
  const source = objectOf(entries);
  const names = Object.keys(source);
  const taken = new Set(names.filter((name) => !hasUnstorable(name)));
  return objectOf(
    names.map((name): [string, unknown] => {
      let shownName = name;
      if (hasUnstorable(name)) {
        shownName = shown(name);
        while (taken.has(shownName)) shownName += '\uFFFD';
        taken.add(shownName);
      }
      const value = source[name];
      return [shownName, typeof value === 'string' ? shown(value) : value];
    }),
  );
}

/** `levels` nested objects as JSON text, and as a value when it is small enough to be accepted. */
function nested(levels: number): { text: string; value: unknown } {
  let value: unknown = 'bottom';
  if (levels <= 100) for (let i = 0; i < levels; i++) value = { n: value };
  return { text: `${'{"n":'.repeat(levels)}"bottom"${'}'.repeat(levels)}`, value };
}

const fixtures = Object.fromEntries(
  loadEventFixtures()
    .filter((f) => /stripe-ruby-mock\/customer\.(created|updated)\.json$/.test(f.file))
    .map((f) => [f.event.type, f.body]),
) as Record<Case['type'], string>;

describe('POST /webhooks/stripe, property: hostile signed payloads never break anything (decision 0018)', () => {
  let harness: ApiTestApp;
  let store: EventStore;
  let base: string;
  const server = () => harness.app.getHttpServer();
  const run = randomUUID().slice(0, 8);
  let counter = 0;

  beforeAll(async () => {
    harness = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: SECRET }, true);
    await harness.app.listen(0, '127.0.0.1');
    base = (await harness.app.getUrl()).replace('[::1]', '127.0.0.1');
    store = harness.app.get(EVENT_STORE);
  });
  afterAll(async () => harness?.close());

  /** Every projection's parked events, and those failing or that recorded an error. */
  async function trouble(eventId?: string): Promise<{ parked: unknown[]; failing: unknown[] }> {
    const dataSource = harness.app.get(DataSource);
    const parked: unknown[] = await dataSource.query(
      `SELECT projection, position, error FROM projections.parked_events WHERE $1::uuid IS NULL OR event_id = $1`,
      [eventId ?? null],
    );
    const failing: unknown[] = await dataSource.query(
      `SELECT name, status, last_error FROM projections.projection_state WHERE status <> 'running' OR last_error IS NOT NULL`,
    );
    return { parked, failing };
  }

  /**
   * The projections that read this event have handled it, and parked none of it. (Parked events are
   * checked by event, so that fast-check shrinks to the input that parked; the whole table at the end.)
   */
  async function projected(event: RecordedEvent): Promise<void> {
    const readers = allProjectors()
      .filter((projector) => matchesFilter(event, projector.filter))
      .map((projector) => projector.name);
    expect(readers).toContain('customers');
    const dataSource = harness.app.get(DataSource);
    await eventually(
      async () => {
        const states: { position: string }[] = await dataSource.query(
          `SELECT position FROM projections.projection_state WHERE name = ANY($1)`,
          [readers],
        );
        return states.length === readers.length && states.every((s) => BigInt(s.position) >= event.position);
      },
      20_000,
      `${readers.join(', ')} to handle event ${event.position}`,
    );
    expect((await trouble(event.id)).parked).toEqual([]);
  }

  it('never a 5xx; a 4xx stores nothing; a 2xx is stored once, shown, served and parks nothing', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        counter += 1;
        const event = JSON.parse(fixtures[c.type]) as {
          id: string;
          created: number;
          data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
        };
        event.id = `evt_prop_${run}_${counter}${c.eventIdSuffix}`;
        event.created = 1_760_000_000 + counter;
        const objectId = `cus_prop_${run}_${counter}${c.objectIdSuffix}`;
        const marker = (n: number) => `@@deep_${run}_${n}@@`;
        const deepTexts: string[] = [];
        const metadataEntries = c.metadata.map(([name, value]): [string, unknown] => {
          if (typeof value === 'string') return [name, value];
          deepTexts.push(nested(value.levels).text);
          return [name, marker(deepTexts.length - 1)];
        });
        event.data.object = {
          ...event.data.object,
          id: objectId,
          name: c.name,
          email: c.email,
          metadata: objectOf(metadataEntries),
        };
        if (c.type === 'customer.updated') event.data.previous_attributes = objectOf(c.previous);
        let body = JSON.stringify(event);
        deepTexts.forEach((deepText, i) => (body = body.replace(JSON.stringify(marker(i)), deepText)));

        // What decision 0018 answers: the body limit, the signature's time, then the shape. Never the text.
        // data.object.metadata is at level 4: a value nested n levels reaches 4 + n.
        // Of the metadata as sent: a key given twice keeps its last value, as in JSON.
        const values = Object.values(objectOf(c.metadata)) as Case['metadata'][number][1][];
        const depth = Math.max(0, ...values.map((v) => (typeof v === 'string' ? 0 : 4 + v.levels)));
        const refused =
          Math.abs(c.skewSeconds) > 300 ||
          depth > MAX_DEPTH ||
          event.id.length > MAX_ID_LENGTH ||
          `stripe_customer-${objectId}`.length > MAX_STREAM_NAME_LENGTH;
        const expected = Buffer.byteLength(body) > BODY_LIMIT ? 413 : refused ? 400 : 200;

        const head = await store.headPosition();
        const post = () =>
          request(server())
            .post('/webhooks/stripe')
            .set('Content-Type', 'application/json')
            .set('Stripe-Signature', signWebhook(body, SECRET, Math.floor(Date.now() / 1000) + c.skewSeconds))
            .send(body);
        const response = await post();
        expect(response.status).toBeLessThan(500);
        expect(response.status).toBe(expected);
        if (response.status !== 200) {
          expect(response.body).toMatchObject({ statusCode: response.status, message: expect.any(String) });
          expect(await store.headPosition()).toBe(head);
          return;
        }

        // Stored once: a redelivery is a duplicate of it.
        expect(response.body).toMatchObject({ received: true, duplicate: false });
        const stored = (await store.readEventById(response.body.eventId))!;
        expect(stored.metadata.stripeEventId).toBe(shown(event.id));
        expect(stored.stream).toBe(`stripe_customer-${shown(objectId)}`);
        const again = await post();
        expect([again.status, again.body.duplicate, again.body.eventId]).toEqual([200, true, response.body.eventId]);
        const copies = (await store.readStream(stored.stream)).filter(
          (e) => e.metadata.stripeEventId === shown(event.id),
        );
        expect(copies).toHaveLength(1);
        // Whatever was replaced is recorded, and no reader meets any of it.
        let unstorable = false;
        JSON.parse(body, (name, value: unknown) => {
          unstorable ||= hasUnstorable(name) || (typeof value === 'string' && hasUnstorable(value));
          return value;
        });
        expect(stored.metadata.textRepair !== undefined).toBe(unstorable);
        expect(hasUnstorable(JSON.stringify(stored.data))).toBe(false);

        await projected(stored);
        const id = platformCustomerId(shown(objectId), null);
        const customer = (await request(server()).get(`/customers/${id}`).set('Authorization', SUPPORT)).body;
        const name = c.name === null || c.name === '' ? null : shown(c.name);
        const metadata = shownMetadata(
          c.metadata.map(([k, v]): [string, unknown] => [k, typeof v === 'string' ? v : nested(v.levels).value]),
        );
        expect(customer).toMatchObject({ id, stripeIds: [shown(objectId)], name, lastEventId: shown(event.id) });
        expect(customer.metadata).toEqual(metadata);
        const past = await request(server())
          .get(`/customers/${id}`)
          .query({ asOf: new Date().toISOString() })
          .set('Authorization', SUPPORT);
        expect(past.status).toBe(200);
        expect(past.body).toMatchObject({ id, name, stripeIds: [shown(objectId)] });
        expect(past.body.metadata).toEqual(metadata);

        const { frames } = await readSse(
          `${base}/feed?from=${stored.position - 1n}&category=stripe_customer`,
          CONSUMER,
          (f) => f.some((frame) => frame.event === 'message'),
        );
        const served = JSON.parse(frames.find((frame) => frame.event === 'message')!.data) as {
          eventId: string;
          data: { data: { object: { name: unknown } } };
        };
        expect(served.eventId).toBe(stored.id);
        expect(served.data.data.object.name).toBe(c.name === null ? null : shown(c.name));
      }),
      { numRuns: 60 },
    );
    expect(await trouble()).toEqual({ parked: [], failing: [] });
  }, 120_000);
});
