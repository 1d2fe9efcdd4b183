import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLedgerlineClient, LedgerlineApiError, ok } from '@ledgerline/api-client';
import { eventually } from '@ledgerline/testing';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from './api-test-app';

describe('@ledgerline/api-client against the running api', () => {
  let harness: ApiTestApp;
  let baseUrl: string;

  beforeAll(async () => {
    harness = await startApiTestApp({}, true);
    await harness.app.listen(0, '127.0.0.1');
    const { port } = harness.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
  }, 60_000);
  afterAll(() => harness.close());

  it('registers, reads, searches and changes a customer through typed calls', async () => {
    const support = createLedgerlineClient({ baseUrl, apiKey: TEST_KEYS.support });
    const registered = ok(
      await support.POST('/customers', {
        body: { firstName: 'Katherine', lastName: 'Johnson', email: 'kj@example.com' },
      }),
    );
    expect(registered.events.map((event) => event.type)).toEqual(['CustomerRegistered']);

    const read = () => support.GET('/customers/{id}', { params: { path: { id: registered.id } } });
    await eventually(async () => (await read()).response.ok, 10_000, 'the customer to be shown');
    const customer = ok(await read());
    expect(customer).toMatchObject({
      id: registered.id,
      firstName: 'Katherine',
      email: 'kj@example.com',
      deleted: false,
    });

    const found = ok(await support.GET('/customers', { params: { query: { q: 'johnson' } } }));
    expect(found.data.map((row) => row.id)).toEqual([registered.id]);

    ok(
      await support.PATCH('/customers/{id}', {
        params: { path: { id: registered.id } },
        body: { phone: '+1 555 0100' },
      }),
    );
    await eventually(
      async () =>
        ok(await support.GET('/customers/{id}', { params: { path: { id: registered.id } } })).phone === '+1 555 0100',
      10_000,
      'the change to be shown',
    );
  });

  it('sends an Idempotency-Key with every command, and a repeat with the same key runs it once', async () => {
    const support = createLedgerlineClient({ baseUrl, apiKey: TEST_KEYS.support });
    const body = { firstName: 'Dorothy', lastName: 'Vaughan' };
    const first = await support.POST('/customers', { body });
    const second = await support.POST('/customers', { body });
    expect(ok(first).id).not.toBe(ok(second).id);

    const headers = { 'Idempotency-Key': 'client-test-once' };
    const once = await support.POST('/customers', { body, headers });
    const again = await support.POST('/customers', { body, headers });
    expect(ok(again).id).toBe(ok(once).id);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
  });

  it('turns refusals into LedgerlineApiError with the status, every message and the request id', async () => {
    const support = createLedgerlineClient({ baseUrl, apiKey: TEST_KEYS.support });
    const invalid = await support.POST('/customers', { body: { firstName: '', lastName: 'X', email: 'not-an-email' } });
    const error = catchError(() => ok(invalid));
    expect(error).toBeInstanceOf(LedgerlineApiError);
    expect(error).toMatchObject({ status: 400, requestId: expect.any(String) });
    expect(error.messages.join(' ')).toMatch(/email/);

    const stranger = createLedgerlineClient({ baseUrl, apiKey: 'not-a-key-0123456789abcdef' });
    const unknownKey = await stranger.GET('/me');
    expect(catchError(() => ok(unknownKey))).toMatchObject({ status: 401 });

    const finance = createLedgerlineClient({ baseUrl, apiKey: TEST_KEYS.finance });
    const notAdmin = await finance.GET('/admin/projections');
    expect(catchError(() => ok(notAdmin))).toMatchObject({ status: 403 });
    expect(ok(await finance.GET('/me'))).toMatchObject({ role: 'finance' });
  });
});

function catchError(action: () => unknown): LedgerlineApiError {
  try {
    action();
  } catch (error) {
    return error as LedgerlineApiError;
  }
  throw new Error('expected the call to throw');
}
