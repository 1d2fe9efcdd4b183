import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from '../api-test-app';
import { readSse } from './sse-reader';

const consumer = `Bearer ${TEST_KEYS.consumer}`;

interface Delivery {
  event: { eventId: string; position: string; type: string; data: { n: number } };
  deliveryCount: number;
}

describe('consumer groups over HTTP', () => {
  let api: ApiTestApp;
  let store: EventStore;
  const http = () => request(api.app.getHttpServer());
  const post = (path: string, body: object) => http().post(path).set('Authorization', consumer).send(body);
  const receive = async (group: string, member: string, max = 10, waitMs = 0) =>
    (
      (await post(`/feed/groups/${group}/receive`, { member, max, waitMs }).expect(200)).body as {
        deliveries: Delivery[];
      }
    ).deliveries;
  const appendOrders = async (category: string, count: number) => {
    for (let n = 0; n < count; n++) {
      await store.append(`${category}-${n % 7}`, [
        { type: 'OrderPlaced', data: { n }, metadata: { source: 'system' } },
      ]);
    }
  };

  beforeAll(async () => {
    api = await startApiTestApp({ FEED_HEARTBEAT_MS: '200' });
    await api.app.listen(0, '127.0.0.1');
    store = api.app.get(EVENT_STORE);
    await store.append('noise-1', [{ type: 'Noise', data: {}, metadata: { source: 'system' } }]);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('shares the work between two members; what a member took and never acked goes to the other: none lost', async () => {
    await appendOrders('shared', 60);
    const created = await post('/feed/groups', {
      name: 'fulfilment',
      categories: ['shared'],
      ackTimeoutMs: 1_000,
    }).expect(201);
    expect(created.body).toMatchObject({
      name: 'fulfilment',
      filter: { categories: ['shared'] },
      ackTimeoutMs: 1_000,
      maxDeliveries: 5,
      checkpoint: '0',
    });

    // Member A takes a batch and dies without acking it.
    const lost = await receive('fulfilment', 'a', 10);
    expect(lost).toHaveLength(10);
    // Member B does its work, batch after batch, and gets A's batch once its lease runs out.
    const processed = new Map<number, Delivery>();
    const deadline = Date.now() + 15_000;
    while (processed.size < 60 && Date.now() < deadline) {
      const batch = await receive('fulfilment', 'b', 10, 500);
      batch.forEach((d) => processed.set(d.event.data.n, d));
      if (batch.length)
        await post('/feed/groups/fulfilment/ack', { member: 'b', eventIds: batch.map((d) => d.event.eventId) }).expect(
          204,
        );
    }
    expect([...processed.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, n) => n));
    for (const d of lost) expect(processed.get(d.event.data.n)!.deliveryCount).toBe(2);

    const group = (await http().get('/feed/groups/fulfilment').set('Authorization', consumer).expect(200)).body;
    expect(group).toMatchObject({ outstanding: 0, parked: 0 });
    const head = await store.headPosition();
    expect(BigInt(group.checkpoint as string) >= head - 1n).toBe(true);
    // A's late ack is refused: the event is no longer its to ack.
    const late = await post('/feed/groups/fulfilment/ack', { member: 'a', eventIds: [lost[0]!.event.eventId] }).expect(
      409,
    );
    expect(late.body.message).toContain('is not outstanding');
  });

  it('parks an event after a nack with park, lists it, and replays it', async () => {
    await appendOrders('poison', 2);
    await post('/feed/groups', { name: 'emails', categories: ['poison'], maxDeliveries: 2 }).expect(201);
    const [bad, good] = await receive('emails', 'm', 2);
    await post('/feed/groups/emails/nack', {
      member: 'm',
      eventId: bad!.event.eventId,
      park: true,
      reason: 'template missing',
    }).expect(204);
    await post('/feed/groups/emails/ack', { member: 'm', eventIds: [good!.event.eventId] }).expect(204);
    const parked = (await http().get('/feed/groups/emails/parked').set('Authorization', consumer).expect(200)).body;
    expect(parked.data).toEqual([
      expect.objectContaining({
        event: expect.objectContaining({ eventId: bad!.event.eventId }),
        reason: 'template missing',
      }),
    ]);
    expect((await post('/feed/groups/emails/parked/replay', {}).expect(200)).body).toEqual({ replayed: 1 });
    const again = await receive('emails', 'm', 10, 2_000);
    expect(again.map((d) => d.event.eventId)).toEqual([bad!.event.eventId]);
    // A plain nack retries, and after maxDeliveries the event is parked by itself.
    await post('/feed/groups/emails/nack', { member: 'm', eventId: bad!.event.eventId }).expect(204);
    const third = await receive('emails', 'm', 10, 2_000);
    expect(third[0]!.deliveryCount).toBe(2);
    await post('/feed/groups/emails/nack', { member: 'm', eventId: bad!.event.eventId }).expect(204);
    expect((await http().get('/feed/groups/emails').set('Authorization', consumer).expect(200)).body).toMatchObject({
      parked: 1,
      outstanding: 0,
    });
  });

  it("streams a member's deliveries, the next batch once the last is acked; a member that goes gives its events back", async () => {
    await appendOrders('streamed', 6);
    await post('/feed/groups', { name: 'analytics', categories: ['streamed'], ackTimeoutMs: 30_000 }).expect(201);
    const base = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    const acked: number[] = [];
    const started = Date.now();
    const { frames } = await readSse(
      `${base}/feed/groups/analytics/stream?member=s1&max=2`,
      { Authorization: consumer },
      (f) => {
        const fresh = f.filter((frame) => frame.event === 'message').map((frame) => JSON.parse(frame.data) as Delivery);
        const toAck = fresh.filter((d) => !acked.includes(d.event.data.n));
        if (toAck.length) {
          acked.push(...toAck.map((d) => d.event.data.n));
          // supertest sends on then(): fire the ack without waiting for it.
          void post('/feed/groups/analytics/ack', { member: 's1', eventIds: toAck.map((d) => d.event.eventId) }).then(
            (response) => expect(response.status).toBe(204),
          );
        }
        return acked.length >= 4;
      },
    );
    // Batches follow acks, not the 30 s ack timeout.
    expect(Date.now() - started).toBeLessThan(10_000);
    const firstTwo = frames.filter((f) => f.event === 'message').slice(0, 2);
    expect(firstTwo.map((f) => f.id)).toEqual(firstTwo.map((f) => (JSON.parse(f.data) as Delivery).event.position));
    // Disconnected with a batch possibly taken: the rest goes to another member at once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rest: number[] = [];
    for (let i = 0; i < 5 && rest.length + acked.length < 6; i++) {
      const batch = await receive('analytics', 'other', 10, 500);
      rest.push(...batch.map((d) => d.event.data.n).filter((n) => !acked.includes(n)));
      if (batch.length)
        await post('/feed/groups/analytics/ack', { member: 'other', eventIds: batch.map((d) => d.event.eventId) });
    }
    expect([...acked, ...rest].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('leases nothing to a receive whose caller went away, and a member that leaves gives its events back at once', async () => {
    await post('/feed/groups', { name: 'billing', categories: ['leaving'], ackTimeoutMs: 60_000 }).expect(201);
    const base = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    const abort = new AbortController();
    const waiting = fetch(`${base}/feed/groups/billing/receive`, {
      method: 'POST',
      headers: { Authorization: consumer, 'Content-Type': 'application/json' },
      body: JSON.stringify({ member: 'gone', max: 10, waitMs: 5_000 }),
      signal: abort.signal,
    }).catch(() => null);
    await new Promise((resolve) => setTimeout(resolve, 300));
    abort.abort();
    await waiting;
    await appendOrders('leaving', 3);
    const taken = await receive('billing', 'present', 10, 2_000);
    expect(taken.map((d) => [d.event.data.n, d.deliveryCount])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    await post('/feed/groups/billing/leave', { member: 'present' }).expect(204);
    const back = await receive('billing', 'next', 10, 2_000);
    expect(back.map((d) => d.event.data.n)).toEqual([0, 1, 2]);
    await post('/feed/groups/nope/leave', { member: 'm' }).expect(404);
  });

  it('answers an unknown group 404, a duplicate 409, and a bad filter or position 400 naming it', async () => {
    await http().get('/feed/groups/nope').set('Authorization', consumer).expect(404);
    await post('/feed/groups/nope/receive', { member: 'm' }).expect(404);
    await post('/feed/groups/nope/ack', { member: 'm', eventIds: ['00000000-0000-4000-8000-000000000000'] }).expect(
      404,
    );
    await http().delete('/feed/groups/nope').set('Authorization', consumer).expect(404);
    await post('/feed/groups', { name: 'fulfilment' }).expect(409);
    const bad = async (body: object, field: string) =>
      expect([(await post('/feed/groups', body).expect(400)).body.message].flat().join('; ')).toContain(field);
    await bad({ name: 'x', categories: ['has-dash'] }, 'categories');
    await bad({ name: 'x', eventTypePrefixes: ['a b'] }, 'eventTypePrefixes');
    await bad({ name: 'x', from: 'yesterday' }, 'from');
    await bad({ name: 'x', from: '99999999' }, "past the store's head");
    await bad({ name: '-x' }, 'name');
    await post('/feed/groups/fulfilment/ack', { member: 'm', eventIds: ['not-a-uuid'] }).expect(400);
    await http().get('/feed/groups').set('Authorization', `Bearer ${TEST_KEYS.support}`).expect(403);
    const listed = (await http().get('/feed/groups').set('Authorization', consumer).expect(200)).body.data as {
      name: string;
    }[];
    expect(listed.map((g) => g.name)).toEqual(['analytics', 'billing', 'emails', 'fulfilment']);
    await http().delete('/feed/groups/emails').set('Authorization', consumer).expect(204);
    await http().get('/feed/groups/emails').set('Authorization', consumer).expect(404);
  });
});
