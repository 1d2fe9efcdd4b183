import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import Stripe from 'stripe';
import { LEDGERLINE_EVENT_TYPES } from '@ledgerline/stripe';
import { startStripeServer, STRIPE_TEST_API_KEY, type StripeTestServer } from '@ledgerline/testing';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from './api-test-app';

const admin = `Bearer ${TEST_KEYS.admin}`;
const URL = 'https://ledgerline.example.com/webhooks/stripe';

/** `GET /admin/stripe-endpoints` and `PUT /admin/stripe-endpoint` against the Stripe test server. */
describe('Stripe webhook endpoints (HTTP)', () => {
  let api: ApiTestApp;
  let server: StripeTestServer;
  let stripe: Stripe;
  const http = () => request(api.app.getHttpServer());
  const put = (body: object, authorization = admin) =>
    http().put('/admin/stripe-endpoint').set('Authorization', authorization).send(body);
  const writes = () => server.requests().filter((call) => call.method !== 'GET');

  beforeAll(async () => {
    server = await startStripeServer();
    stripe = server.stripe();
    api = await startApiTestApp({ STRIPE_API_KEY: STRIPE_TEST_API_KEY, STRIPE_API_BASE: server.url });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await server?.close();
  });

  it('is for admins only, and checks the request before calling Stripe', async () => {
    for (const role of ['support', 'finance', 'consumer'] as const) {
      const key = `Bearer ${TEST_KEYS[role]}`;
      await http().get('/admin/stripe-endpoints').set('Authorization', key).expect(403);
      await put({ url: URL }, key).expect(403);
    }
    const insecure = await put({ url: 'http://ledgerline.example.com/webhooks/stripe' }).expect(400);
    expect(insecure.body.message).toEqual([
      'url must be an https URL (http only for localhost or 127.0.0.1), got "http://ledgerline.example.com/webhooks/stripe"',
    ]);
    expect((await put({}).expect(400)).body.message).toEqual(['url must be the https URL of /webhooks/stripe']);
    expect((await put({ url: 'nope' }).expect(400)).body.message).toEqual([
      'url "nope" is not a URL (e.g. https://ledgerline.example.com/webhooks/stripe)',
    ]);
    expect((await put({ url: URL, events: 'some' }).expect(400)).body.message).toEqual([
      'events must be "needed" or "all"',
    ]);
    await put({ url: URL, secret: 'x' }).expect(400);
    expect(server.requests()).toEqual([]);
  });

  let id: string;

  it('creates the endpoint (201, the secret once), then answers unchanged without writing to Stripe', async () => {
    const created = await put({ url: URL }).expect(201);
    expect(created.body).toEqual({
      outcome: 'created',
      secret: expect.stringMatching(/^whsec_\w+$/),
      endpoint: expect.objectContaining({
        id: expect.stringMatching(/^we_/),
        url: URL,
        status: 'enabled',
        apiVersion: Stripe.API_VERSION,
        ledgerline: true,
      }),
      changes: [],
      replaced: null,
      warnings: [],
    });
    expect([...created.body.endpoint.enabledEvents].sort()).toEqual([...LEDGERLINE_EVENT_TYPES].sort());
    id = created.body.endpoint.id;
    expect((await stripe.webhookEndpoints.retrieve(id)).metadata).toEqual({ managed_by: 'ledgerline' });

    server.reset();
    const again = await put({ url: URL, events: 'needed' }).expect(200);
    expect(again.body).toMatchObject({ outcome: 'unchanged', secret: null, changes: [], endpoint: { id } });
    expect(writes()).toEqual([]);

    const listed = await http().get('/admin/stripe-endpoints').set('Authorization', admin).expect(200);
    expect(listed.text).not.toMatch(/whsec_|"secret"/);
    expect(listed.body).toEqual({
      data: [expect.objectContaining({ id, url: URL, ledgerline: true })],
      apiVersion: Stripe.API_VERSION,
      neededEventTypes: [...LEDGERLINE_EVENT_TYPES],
    });
  });

  it('updates it in place when the events differ (200, no secret)', async () => {
    server.reset();
    const updated = await put({ url: URL, events: 'all' }).expect(200);
    expect(updated.body).toMatchObject({
      outcome: 'updated',
      secret: null,
      endpoint: { id, enabledEvents: ['*'] },
      changes: [expect.stringMatching(/^enabled events: 1 added \(\*\), \d+ removed/)],
    });
    expect(writes().map((call) => `${call.method} ${call.path}`)).toEqual([`POST /v1/webhook_endpoints/${id}`]);
    expect((await stripe.webhookEndpoints.retrieve(id)).enabled_events).toEqual(['*']);
    expect((await put({ url: URL, events: 'all' }).expect(200)).body.outcome).toBe('unchanged');
  });

  it('answers 409 for an endpoint of another API version, and recreates it when asked', async () => {
    const url = 'https://old.example.com/webhooks/stripe';
    const old = await stripe.webhookEndpoints.create({ url, enabled_events: ['*'], api_version: '2024-06-20' });
    server.reset();
    const conflict = await put({ url }).expect(409);
    expect(conflict.body.message).toContain(
      `webhook endpoint ${old.id} for ${url} sends events in API version 2024-06-20`,
    );
    expect(writes()).toEqual([]);
    const recreated = await put({ url, recreate: true }).expect(201);
    expect(recreated.body).toMatchObject({
      outcome: 'recreated',
      replaced: old.id,
      secret: expect.stringMatching(/^whsec_/),
      endpoint: { url, apiVersion: Stripe.API_VERSION },
    });
    await expect(stripe.webhookEndpoints.retrieve(old.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it("passes Stripe's refusal on as 400", async () => {
    const local = await put({ url: 'http://localhost:3000/webhooks/stripe' }).expect(400);
    expect(local.body.message).toEqual([
      expect.stringContaining('Stripe refused the request: Invalid URL: URL must be publicly accessible'),
    ]);
  });
});

describe('Stripe webhook endpoints (HTTP) without STRIPE_API_KEY', () => {
  let api: ApiTestApp;
  beforeAll(async () => {
    api = await startApiTestApp();
  }, 60_000);
  afterAll(async () => api?.close());

  it('answers 503 naming STRIPE_API_KEY', async () => {
    const list = await request(api.app.getHttpServer())
      .get('/admin/stripe-endpoints')
      .set('Authorization', admin)
      .expect(503);
    expect(list.body.message).toContain('STRIPE_API_KEY is not set');
    const ensure = await request(api.app.getHttpServer())
      .put('/admin/stripe-endpoint')
      .set('Authorization', admin)
      .send({ url: URL })
      .expect(503);
    expect(ensure.body.message).toContain('STRIPE_API_KEY is not set');
  });
});
