import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { startApiTestApp, TEST_KEYS, type ApiTestApp } from '../api-test-app';

const support = `Bearer ${TEST_KEYS.support}`;

describe('customer commands (POST/PATCH/DELETE /customers)', () => {
  let api: ApiTestApp;
  let store: EventStore;
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    api = await startApiTestApp();
    store = api.app.get(EVENT_STORE);
  });
  afterAll(() => api?.close());

  const headOf = () => store.headPosition();

  it('registers a customer as a CustomerRegistered event naming the support key as actor', async () => {
    const response = await http()
      .post('/customers')
      .set('Authorization', support)
      .set('X-Request-Id', 'req-123')
      .send({
        firstName: ' Ada ',
        lastName: 'Lovelace',
        email: 'ada@example.com',
        phone: '+44 20 7946 0958',
        address: { line1: '12 St James Sq', city: 'London', country: 'gb', postalCode: 'SW1Y 4JH' },
      })
      .expect(201);
    const { id, events } = response.body as { id: string; events: { eventId: string; stream: string; type: string }[] };
    expect(events).toEqual([expect.objectContaining({ type: 'CustomerRegistered', stream: `customer-${id}` })]);
    const [stored] = await store.readStream(`customer-${id}`);
    expect(stored!.data).toEqual({
      customerId: id,
      details: {
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com',
        phone: '+44 20 7946 0958',
        address: {
          line1: '12 St James Sq',
          line2: null,
          city: 'London',
          state: null,
          country: 'GB',
          postalCode: 'SW1Y 4JH',
        },
      },
    });
    expect(stored!.metadata).toMatchObject({
      source: 'platform',
      actor: 'support-tester',
      correlationId: 'req-123',
      causationId: (response.body as { commandId: string }).commandId,
      schemaVersion: 1,
    });
  });

  it.each([
    [{ lastName: 'L' }, ['firstName should not be empty']],
    [{ firstName: '', lastName: 'L' }, ['firstName should not be empty']],
    [{ firstName: 'A' }, ['lastName should not be empty']],
    [{ firstName: 'A', lastName: 'L', email: 'not-an-email' }, ['email must be an email address']],
    [{ firstName: 'A', lastName: 'L', phone: 'call me' }, ['phone must be a phone number']],
    [
      { firstName: 'A', lastName: 'L', address: { city: 'Paris', country: 'FR' } },
      ['address.line1 should not be empty'],
    ],
    [
      { firstName: 'A', lastName: 'L', address: { line1: '1 rue', country: 'France' } },
      ['address.country must be a two-letter'],
    ],
    [{ firstName: 'A', lastName: 'L', nickname: 'x' }, ['property nickname should not exist']],
  ])('refuses %j with a 400 naming the field, appending nothing', async (body, expected) => {
    const before = await headOf();
    const response = await http().post('/customers').set('Authorization', support).send(body).expect(400);
    const messages = (response.body as { message: string[] }).message;
    for (const text of expected) expect(messages.some((m) => m.includes(text))).toBe(true);
    expect(await headOf()).toBe(before);
  });

  it('lists every invalid field at once', async () => {
    const response = await http()
      .post('/customers')
      .set('Authorization', support)
      .send({ email: 'x', phone: '?', address: { country: 'ZZZ' } })
      .expect(400);
    const text = (response.body as { message: string[] }).message.join('\n');
    for (const field of ['firstName', 'lastName', 'email', 'phone', 'address.line1', 'address.country']) {
      expect(text).toContain(field);
    }
  });

  it('runs a command once per Idempotency-Key and replays the first answer', async () => {
    const send = () =>
      http()
        .post('/customers')
        .set('Authorization', support)
        .set('Idempotency-Key', 'create-grace-1')
        .send({ firstName: 'Grace', lastName: 'Hopper' });
    const results = await Promise.all([send(), send(), send()]);
    const ids = new Set(results.map((r) => (r.body as { id: string }).id));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(2);
    expect(await store.readStream(`customer-${[...ids][0]}`)).toHaveLength(1);

    await http()
      .post('/customers')
      .set('Authorization', support)
      .set('Idempotency-Key', 'create-grace-1')
      .send({ firstName: 'Someone', lastName: 'Else' })
      .expect(422);
  });

  it('edits and deletes a customer; a deleted customer cannot be edited', async () => {
    const created = await http()
      .post('/customers')
      .set('Authorization', support)
      .send({ firstName: 'Alan', lastName: 'Turing', email: 'alan@example.com' })
      .expect(201);
    const id = (created.body as { id: string }).id;
    await http()
      .patch(`/customers/${id}`)
      .set('Authorization', support)
      .send({ email: null, phone: '+1 555 0100' })
      .expect(200);
    const noop = await http()
      .patch(`/customers/${id}`)
      .set('Authorization', support)
      .send({ phone: '+1 555 0100' })
      .expect(200);
    expect((noop.body as { events: unknown[] }).events).toEqual([]);
    await http().patch(`/customers/${id}`).set('Authorization', support).send({}).expect(400);
    await http().delete(`/customers/${id}`).set('Authorization', support).expect(200);
    await http().patch(`/customers/${id}`).set('Authorization', support).send({ firstName: 'A' }).expect(409);
    await http().delete(`/customers/${id}`).set('Authorization', support).expect(409);

    const events = await store.readStream(`customer-${id}`);
    expect(events.map((e) => e.type)).toEqual(['CustomerRegistered', 'CustomerDetailsChanged', 'CustomerDeleted']);
    expect(events[1]!.data).toMatchObject({
      changed: ['email', 'phone'],
      details: { email: null, phone: '+1 555 0100' },
    });
  });

  it('decides concurrent edits one after another on the latest state: none is lost', async () => {
    const created = await http()
      .post('/customers')
      .set('Authorization', support)
      .send({ firstName: 'Con', lastName: 'Current' });
    const id = (created.body as { id: string }).id;
    const edits = [{ email: 'con@example.com' }, { phone: '+1 555 0199' }, { lastName: 'Currency' }];
    const results = await Promise.all(
      edits.map((body) => http().patch(`/customers/${id}`).set('Authorization', support).send(body)),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const events = await store.readStream(`customer-${id}`);
    expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
    expect(events[3]!.data).toMatchObject({
      details: { firstName: 'Con', lastName: 'Currency', email: 'con@example.com', phone: '+1 555 0199' },
    });
  });

  it('answers 404 for an unknown customer and 403 for a key without the support role', async () => {
    await http()
      .patch('/customers/6d0f3c1e-1111-4222-8333-944455556666')
      .set('Authorization', support)
      .send({ firstName: 'X' })
      .expect(404);
    await http()
      .post('/customers')
      .set('Authorization', `Bearer ${TEST_KEYS.finance}`)
      .send({ firstName: 'A', lastName: 'B' })
      .expect(403);
  });
});
