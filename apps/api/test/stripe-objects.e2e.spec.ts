import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { normaliseStripeObject } from '@ledgerline/events';
import { findStripeObject, type StripeObjectView } from '@ledgerline/read-models';
import { eventually, type EventFixture, loadEventFixtures, postWebhook, shuffle } from '@ledgerline/testing';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from './api-test-app';

const SECRET = 'whsec_objects_test_0123456789';

/**
 * Every fixture through the webhook endpoint and the worker's stripe_objects projection. Fixture
 * files reuse event ids (147 files, 12 ids); each file gets its own id here so that every
 * snapshot takes part rather than only the first copy of each id.
 */
describe('stripe_objects read model', () => {
  let harness: ApiTestApp | undefined;
  afterEach(async () => harness?.close());

  const fixtures = (): EventFixture[] =>
    loadEventFixtures().map((fixture, i) => ({
      ...fixture,
      body: fixture.body.replace(`"${fixture.event.id}"`, `"evt_fixture_${i}"`),
      event: { ...fixture.event, id: `evt_fixture_${i}` },
    }));

  const feed = async (ordered: EventFixture[]): Promise<StripeObjectView[]> => {
    harness = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: SECRET }, true);
    for (const fixture of ordered) await postWebhook(harness.app.getHttpServer(), fixture.body, SECRET).expect(200);
    const head = await harness.app.get<EventStore>(EVENT_STORE).headPosition();
    const dataSource = harness.app.get(DataSource);
    await eventually(
      async () => {
        const [state] = await dataSource.query(
          `SELECT position FROM projections.projection_state WHERE name = 'stripe_objects'`,
        );
        return state !== undefined && BigInt(state.position) >= head;
      },
      10_000,
      'stripe_objects to catch up',
    );
    // Each row as served: the snapshot is read from the event the row points at.
    const store = harness.app.get<EventStore>(EVENT_STORE);
    const ids: { id: string }[] = await dataSource.query(`SELECT id FROM stripe_objects ORDER BY id`);
    const rows: StripeObjectView[] = [];
    for (const { id } of ids) rows.push((await findStripeObject(dataSource, store, id))!);
    await harness.close();
    harness = undefined;
    return rows;
  };

  it('ends with the same rows in every arrival order, but for same-second ties, which the later-recorded event wins', async () => {
    const all = fixtures();
    const withObject = all.filter((f) => typeof f.event.data?.object?.id === 'string');
    const created = (f: EventFixture) => (JSON.parse(f.body) as { created: number }).created;
    const tied = new Set(
      withObject
        .filter((f) =>
          withObject.some(
            (g) => g !== f && g.event.data!.object!.id === f.event.data!.object!.id && created(g) === created(f),
          ),
        )
        .map((f) => f.event.data!.object!.id!),
    );
    expect(tied.size).toBeGreaterThan(0);
    expect(tied.size).toBeLessThan(new Set(withObject.map((f) => f.event.data!.object!.id)).size);

    const hashes: string[] = [];
    for (const seed of [1, 2, 3]) {
      const ordered = shuffle(all, seed);
      const rows = await feed(ordered);
      expect(rows.length).toBe(new Set(withObject.map((f) => f.event.data!.object!.id)).size);
      const untied = rows.filter((row) => !tied.has(row.id));
      hashes.push(createHash('sha256').update(JSON.stringify(untied)).digest('hex'));

      // Ties: the newest second wins, and within it the event recorded last.
      for (const row of rows.filter((r) => tied.has(r.id))) {
        const events = ordered.filter((f) => f.event.data?.object?.id === row.id);
        const newest = Math.max(...events.map(created));
        const winner = events.filter((f) => created(f) === newest).at(-1)!;
        expect([row.id, row.lastEventId]).toEqual([row.id, winner.event.id]);
        expect(row.eventsSeen).toBe(events.length);
        expect(row.data).toEqual(normaliseStripeObject(JSON.parse(winner.body).data.object));
      }
    }
    expect(new Set(hashes).size).toBe(1);
  }, 120_000);

  it('serves the latest snapshot on GET /stripe-objects/:id, and 404 for an unknown id', async () => {
    harness = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: SECRET }, true);
    const server = harness.app.getHttpServer();
    const post = (event: object) => postWebhook(server, event, SECRET).expect(200);
    const customer = (name: string) => ({ id: 'cus_latest', object: 'customer', name });
    // Newest first: the older update arrives late and must not win.
    await post({
      id: 'evt_new',
      object: 'event',
      type: 'customer.updated',
      created: 1_700_000_100,
      data: { object: customer('Ada Lovelace') },
    });
    await post({
      id: 'evt_old',
      object: 'event',
      type: 'customer.updated',
      created: 1_700_000_050,
      data: { object: customer('Ada Byron') },
    });
    const auth = `Bearer ${TEST_KEYS.support}`;
    let body: Record<string, unknown> = {};
    await eventually(async () => {
      const response = await request(server).get('/stripe-objects/cus_latest').set('Authorization', auth);
      body = response.body;
      return response.status === 200 && body.eventsSeen === 2;
    }, 5_000).catch(() => undefined); // the assertion below says what was seen
    expect(body).toEqual({
      id: 'cus_latest',
      object: 'customer',
      account: null,
      data: customer('Ada Lovelace'),
      deleted: false,
      lastEventId: 'evt_new',
      lastEventCreated: new Date(1_700_000_100 * 1000).toISOString(),
      eventsSeen: 2,
    });
    await post({
      id: 'evt_gone',
      object: 'event',
      type: 'customer.deleted',
      created: 1_700_000_200,
      data: { object: { id: 'cus_latest', object: 'customer', deleted: true } },
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const deleted = await request(server).get('/stripe-objects/cus_latest').set('Authorization', auth).expect(200);
    expect(deleted.body).toMatchObject({ deleted: true, lastEventId: 'evt_gone', eventsSeen: 3 });
    await request(server).get('/stripe-objects/cus_nobody').set('Authorization', auth).expect(404);
  });
});
