import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_KEYS } from '../api-test-app';
import { HostileApi, messagesOf, support } from './hostile-api';

/**
 * Issue 26, the HTTP edge: input is either stored and shown, or refused with a 4xx that names what
 * is wrong, before anything is stored or queried; never a 5xx. Each case here was found by probing
 * a running app (a NUL in a path answered 500, a NUL in a name was stored and parked by the
 * projections, ...).
 */
describe('hostile input at the HTTP edge', () => {
  let api: HostileApi;
  let customerId: string;

  beforeAll(async () => {
    api = await HostileApi.start();
    const created = await api
      .http()
      .post('/customers')
      .set('Authorization', support)
      .send({ firstName: 'Plain', lastName: 'Customer' });
    expect(created.status).toBe(201);
    customerId = (created.body as { id: string }).id;
  });
  afterAll(() => api?.close());

  /** Sends the request and checks it was refused with `status`, storing nothing. */
  async function expectRefused(
    send: () => PromiseLike<{ status: number; body: unknown }>,
    status: number,
    problem?: RegExp,
  ): Promise<string[]> {
    const before = await api.head();
    const response = await send();
    expect({ status: response.status, body: response.body }).toMatchObject({ status });
    const messages = messagesOf(response.body);
    if (problem) expect(messages.join('\n')).toMatch(problem);
    expect(await api.head()).toBe(before);
    return messages;
  }

  describe('paths and query strings', () => {
    it.each([
      '/customers/%00',
      '/subscriptions/%00',
      '/stripe-objects/%00',
      '/invoices/%00',
      '/payments/%00',
      '/streams/%00',
      '/customers/abc%00def/subscriptions',
      '/customers?q=%00',
      '/subscriptions?q=%00',
      '/customers?q=4000056655665556%00',
    ])('GET %s: 400 naming the NUL, before any query', async (path) => {
      await expectRefused(() => api.http().get(path).set('Authorization', support), 400, /NUL/);
    });

    it.each([
      ['PATCH', '/customers/%00', { firstName: 'Changed' }],
      ['DELETE', '/customers/%00', undefined],
      ['POST', '/payments/%00/refund', {}],
      ['POST', '/subscriptions/%00/cancel', {}],
    ] as const)('%s %s: 400, nothing stored', async (method, path, body) => {
      await expectRefused(
        () => {
          const verb = method.toLowerCase() as 'patch' | 'delete' | 'post';
          const call = api.http()[verb](path).set('Authorization', support);
          return body === undefined ? call : call.send(body);
        },
        400,
        /NUL/,
      );
    });

    it.each([
      ['a lone high surrogate, UTF-8 encoded', '/customers/%ED%A0%80', /UTF-8/],
      ['a lone low surrogate, UTF-8 encoded', '/subscriptions/%ED%B0%80', /UTF-8/],
      ['a truncated UTF-8 sequence', '/customers/%E2%82', /UTF-8/],
      ['a bare byte that is not UTF-8', '/customers/%FF', /UTF-8/],
      ['a malformed escape', '/customers/100%', /percent-encoding/],
      ['a half escape', '/customers/%4', /percent-encoding/],
      ['a lone surrogate in the query', '/customers?q=%ED%A0%80', /UTF-8/],
      ['a malformed escape in the query', '/customers?q=100%25%', /percent-encoding/],
      ['a malformed escape in a query key', '/subscriptions?%zz=1', /percent-encoding/],
    ])('GET with %s: 400', async (_name, path, problem) => {
      await expectRefused(() => api.http().get(path).set('Authorization', support), 400, problem);
    });

    it.each(['__proto__', 'constructor', 'prototype'])(
      'a query key %s is refused like an unknown field',
      async (key) => {
        await expectRefused(
          () => api.http().get(`/customers?q=x&${key}=1`).set('Authorization', support),
          400,
          new RegExp(`property ${key} should not exist`),
        );
      },
    );

    it('still answers a missing record 404 and an odd but valid id as text', async () => {
      // An escaped percent sign and other characters an id never has are valid text: looked up, not found.
      const odd = await api.http().get('/customers/%2500%20%F0%9F%A6%84').set('Authorization', support);
      expect(odd.status).toBe(404);
      expect((await api.http().get('/no-such-route%00').set('Authorization', support)).status).toBe(400);
      expect((await api.http().get('/no-such-route').set('Authorization', support)).status).toBe(404);
    });
  });

  describe('command bodies', () => {
    const valid = { firstName: 'Ada', lastName: 'Lovelace' };
    const post = (body: string | object) =>
      api.http().post('/customers').set('Authorization', support).set('Content-Type', 'application/json').send(body);
    const patch = (body: string | object) =>
      api
        .http()
        .patch(`/customers/${customerId}`)
        .set('Authorization', support)
        .set('Content-Type', 'application/json')
        .send(body);

    it('a field nested 10,000 deep: 400 before class-transformer runs', async () => {
      const deep = `${'{"line1":'.repeat(10_000)}"x"${'}'.repeat(10_000)}`;
      const body = `{"firstName":"A","lastName":"B","address":${deep}}`;
      await expectRefused(() => post(body), 400, /nests deeper than 32 levels/);
      await expectRefused(() => patch(`{"address":${deep}}`), 400, /nests deeper than 32 levels/);
      // A megabyte of brackets is refused as quickly.
      const brackets = `${'['.repeat(500_000)}${']'.repeat(500_000)}`;
      await expectRefused(() => post(brackets), 400, /nests deeper than 32 levels/);
    });

    it('refuses nesting from 33 levels, not up to 32', async () => {
      const nested = (levels: number) =>
        `{"firstName":"A","lastName":"B","x":${'{"y":'.repeat(levels - 1)}1${'}'.repeat(levels - 1)}}`;
      // 32 levels (the body, then 31 objects): refused as an unknown field, not for its depth.
      const messages = await expectRefused(() => post(nested(32)), 400, /property x should not exist/);
      expect(messages.join('\n')).not.toMatch(/deeper/);
      await expectRefused(() => post(nested(33)), 400, /nests deeper than 32 levels/);
    });

    it.each([
      ['a NUL in a value', { ...valid, firstName: 'Nul\u0000Byte' }, /firstName contains a NUL character/],
      ['a lone high surrogate', { ...valid, lastName: 'x\ud800' }, /lastName contains a lone surrogate/],
      ['a lone low surrogate', { ...valid, lastName: '\udc00y' }, /lastName contains a lone surrogate/],
      [
        'a NUL in a nested value',
        { ...valid, address: { line1: '1 Main St', city: 'A\u0000', country: 'US' } },
        /address\.city contains a NUL character/,
      ],
      ['a NUL in a key', { ...valid, ['nick\u0000name']: 'x' }, /nick\\u0000name.* contains a NUL character/],
      ['a lone surrogate in a key', { ...valid, ['\ud83d']: 'x' }, /\\ud83d.* contains a lone surrogate/],
      // An empty array passed ValidateNested (nothing in it to check), then failed to be read: a 500.
      ['an array for the address', { ...valid, address: [] }, /address must be an object/],
      // Trimmed to nothing, it would be stored empty and never shown.
      ['a blank name', { ...valid, firstName: ' \t\u00a0\u2028' }, /firstName must not be blank/],
      [
        'a blank address line',
        { ...valid, address: { line1: '  ', country: 'US' } },
        /address\.line1 must not be blank/,
      ],
    ])('POST /customers with %s: 400 naming the field, nothing stored', async (_name, body, problem) => {
      await expectRefused(() => post(JSON.stringify(body)), 400, problem);
    });

    it.each(['__proto__', 'constructor', 'prototype'])(
      'a %s key is refused like any unknown field, at any depth',
      async (key) => {
        const problem = new RegExp(`property ${key} should not exist`);
        await expectRefused(() => post(`{"firstName":"A","lastName":"B","${key}":{"isAdmin":true}}`), 400, problem);
        await expectRefused(
          () => post(`{"firstName":"A","lastName":"B","address":{"line1":"1 Main St","country":"US","${key}":1}}`),
          400,
          /property address\.\w+ should not exist/,
        );
        await expectRefused(() => patch(`{"firstName":"A","${key}":{"x":1}}`), 400, problem);
      },
    );

    it('PATCH /customers/:id with a NUL or a lone surrogate: 400 naming the field', async () => {
      await expectRefused(() => patch(JSON.stringify({ firstName: '\u0000' })), 400, /firstName contains a NUL/);
      await expectRefused(() => patch(JSON.stringify({ email: 'a\ud800@example.com' })), 400, /email contains a lone/);
      await expectRefused(() => patch(JSON.stringify({ lastName: ' ' })), 400, /lastName must not be blank/);
    });

    it('bytes that are not UTF-8 (an encoded surrogate, a stray byte): 400', async () => {
      const raw = (bytes: number[]) =>
        api
          .http()
          .post('/customers')
          .set('Authorization', support)
          .set('Content-Type', 'application/json')
          // As they are: superagent would otherwise send a Buffer as its JSON description.
          .serialize((body: Buffer) => body as unknown as string)
          .send(Buffer.concat([Buffer.from('{"firstName":"A'), Buffer.from(bytes), Buffer.from('","lastName":"B"}')]));
      await expectRefused(() => raw([0xed, 0xa0, 0x80]), 400, /not valid UTF-8/);
      await expectRefused(() => raw([0xff]), 400, /not valid UTF-8/);
      await expectRefused(() => raw([0xc3]), 400, /not valid UTF-8/);
    });
  });

  describe('the API key is checked before the body is read', () => {
    const malformed = '{"firstName": "A", ';
    const huge = JSON.stringify({ firstName: 'A', lastName: 'x'.repeat(1_500_000) });
    const deep = `${'['.repeat(100)}${']'.repeat(100)}`;

    it.each([
      ['no key', undefined],
      ['a malformed header', 'Basic abc'],
      ['an unknown key', 'Bearer not-a-configured-key-at-all'],
    ])('%s: 401 whatever the body', async (_name, authorization) => {
      for (const body of [malformed, huge, deep, '{"firstName":"\\u0000"}']) {
        const call = api.http().post('/customers').set('Content-Type', 'application/json');
        if (authorization) call.set('Authorization', authorization);
        await expectRefused(() => call.send(body), 401, /API key|Authorization/);
      }
      const patch = api.http().patch(`/customers/${customerId}`).set('Content-Type', 'application/json');
      if (authorization) patch.set('Authorization', authorization);
      await expectRefused(() => patch.send(huge), 401);
    });

    it('a key without the role: 403 whatever the body', async () => {
      const call = api
        .http()
        .post('/customers')
        .set('Authorization', `Bearer ${TEST_KEYS.consumer}`)
        .set('Content-Type', 'application/json');
      await expectRefused(() => call.send(huge), 403);
    });

    it('with a valid key the body is read and judged: 400 malformed, 413 too large', async () => {
      const send = (body: string) =>
        api.http().post('/customers').set('Authorization', support).set('Content-Type', 'application/json').send(body);
      await expectRefused(() => send(malformed), 400);
      await expectRefused(() => send(huge), 413, /larger than the 1 MiB limit/);
    });
  });

  describe('input that is odd but valid is stored and shown', () => {
    it.each([
      ['emoji and combining marks', '🦄 Zoë', 'Ange\u0301lique'],
      ['control characters, quotes and backslashes', 'Tab\tBell\u0007', 'O\'Brien "\\q\\"'],
      ['a bidi override and a zero-width joiner', '\u202Eevil', 'a\u200Db'],
      ['what looks like escapes and markup', '%00 \\u0000', '<script>alert(1)</script>'],
      ['astral CJK and a non-character', '𠜎𠜱', 'x\uFFFEy'],
    ])('%s', async (_name, firstName, lastName) => {
      const created = await api.http().post('/customers').set('Authorization', support).send({ firstName, lastName });
      expect(created.status).toBe(201);
      const id = (created.body as { id: string }).id;
      await api.expectProjectionsHealthy();
      const shown = await api.http().get(`/customers/${id}`).set('Authorization', support);
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({ firstName, lastName });

      const found = await api.http().get('/customers').query({ q: firstName }).set('Authorization', support);
      expect(found.status).toBe(200);
      expect(JSON.stringify(found.body)).toContain(id);
    });

    it('a PATCH with odd but valid text is stored and shown', async () => {
      const changed = await api
        .http()
        .patch(`/customers/${customerId}`)
        .set('Authorization', support)
        .send({ lastName: 'Ünïcødé 🚀 \u0001' });
      expect(changed.status).toBe(200);
      await api.expectProjectionsHealthy();
      const shown = await api.http().get(`/customers/${customerId}`).set('Authorization', support);
      expect(shown.body).toMatchObject({ lastName: 'Ünïcødé 🚀 \u0001' });
    });

    it('no projection parked anything over the whole suite', async () => {
      await api.expectProjectionsHealthy();
    });
  });
});
