import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { startStripeServer, type StripeTestServer } from './stripe-test-server';

const URL = 'https://ledgerline.example.com/webhooks/stripe';

/** Webhook endpoints, which the backing mock lacks: Stripe's shapes, paging and refusals. */
describe('Stripe test server: webhook endpoints', () => {
  let server: StripeTestServer;
  let stripe: Stripe;

  beforeAll(async () => {
    server = await startStripeServer();
    stripe = server.stripe();
  });
  afterAll(async () => server?.close());
  beforeEach(async () => {
    for (const endpoint of (await stripe.webhookEndpoints.list({ limit: 100 })).data) {
      await stripe.webhookEndpoints.del(endpoint.id);
    }
    server.reset();
  });

  it('creates one with its secret, which only the creation answers', async () => {
    const created = await stripe.webhookEndpoints.create({
      url: URL,
      enabled_events: ['customer.created', 'invoice.paid'],
      api_version: Stripe.API_VERSION,
      metadata: { managed_by: 'ledgerline' },
      description: 'Ledgerline',
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^we_\w{24}$/),
      object: 'webhook_endpoint',
      api_version: Stripe.API_VERSION,
      application: null,
      created: expect.any(Number),
      description: 'Ledgerline',
      enabled_events: ['customer.created', 'invoice.paid'],
      livemode: false,
      metadata: { managed_by: 'ledgerline' },
      secret: expect.stringMatching(/^whsec_\w+$/),
      status: 'enabled',
      url: URL,
    });
    const retrieved = await stripe.webhookEndpoints.retrieve(created.id);
    expect(retrieved.secret).toBeUndefined();
    expect(retrieved).toMatchObject({ id: created.id, url: URL, enabled_events: ['customer.created', 'invoice.paid'] });
    const listed = await stripe.webhookEndpoints.list();
    expect(listed.data.map((endpoint) => [endpoint.id, endpoint.secret])).toEqual([[created.id, undefined]]);
    const withoutVersion = await stripe.webhookEndpoints.create({ url: URL, enabled_events: ['*'] });
    expect(withoutVersion).toMatchObject({ api_version: null, enabled_events: ['*'], metadata: {} });
  });

  it('updates events, status and metadata (merged), refuses to change the API version, and deletes', async () => {
    const { id } = await stripe.webhookEndpoints.create({
      url: URL,
      enabled_events: ['customer.created'],
      metadata: { managed_by: 'ledgerline', team: 'billing' },
    });
    const updated = await stripe.webhookEndpoints.update(id, {
      enabled_events: ['*'],
      disabled: true,
      metadata: { team: '' },
    });
    expect(updated).toMatchObject({
      id,
      enabled_events: ['*'],
      status: 'disabled',
      metadata: { managed_by: 'ledgerline' },
    });
    expect(updated.secret).toBeUndefined();
    expect((await stripe.webhookEndpoints.update(id, { disabled: false })).status).toBe('enabled');
    await expect(
      stripe.webhookEndpoints.update(id, { api_version: '2024-06-20' } as Stripe.WebhookEndpointUpdateParams),
    ).rejects.toMatchObject({
      statusCode: 400,
      message: 'Received unknown parameter: api_version',
      param: 'api_version',
    });

    expect(await stripe.webhookEndpoints.del(id)).toMatchObject({ id, object: 'webhook_endpoint', deleted: true });
    await expect(stripe.webhookEndpoints.retrieve(id)).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      message: `No such webhook endpoint: '${id}'`,
    });
    await expect(stripe.webhookEndpoints.update(id, { disabled: true })).rejects.toMatchObject({ statusCode: 404 });
    expect((await stripe.webhookEndpoints.list()).data).toEqual([]);
  });

  it('lists newest first, a page at a time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await stripe.webhookEndpoints.create({ url: `${URL}?n=${i}`, enabled_events: ['*'] })).id);
    }
    const first = await stripe.webhookEndpoints.list({ limit: 2 });
    expect(first.has_more).toBe(true);
    const second = await stripe.webhookEndpoints.list({ limit: 2, starting_after: first.data[1]!.id });
    expect(second.has_more).toBe(false);
    expect([...first.data, ...second.data].map((endpoint) => endpoint.id).sort()).toEqual([...ids].sort());
    const all: string[] = [];
    for await (const endpoint of stripe.webhookEndpoints.list({ limit: 1 })) all.push(endpoint.id);
    expect(all.sort()).toEqual([...ids].sort());
  });

  it("refuses what Stripe refuses, in Stripe's error shape", async () => {
    const refusal = (params: Record<string, unknown>) =>
      stripe.webhookEndpoints.create(params as unknown as Stripe.WebhookEndpointCreateParams);
    await expect(refusal({ enabled_events: ['*'] })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'parameter_missing',
      param: 'url',
      message: 'Missing required param: url.',
    });
    await expect(refusal({ url: URL })).rejects.toMatchObject({ statusCode: 400, param: 'enabled_events' });
    await expect(
      refusal({ url: URL, enabled_events: ['customer.created', 'customer.exploded'] }),
    ).rejects.toMatchObject({
      statusCode: 400,
      param: 'enabled_events[1]',
      message: "Invalid enabled_events[1]: must be '*' or one of Stripe's event types, got 'customer.exploded'.",
    });
    await expect(refusal({ url: 'not a url', enabled_events: ['*'] })).rejects.toMatchObject({ param: 'url' });
    await expect(
      refusal({ url: 'http://localhost:3000/webhooks/stripe', enabled_events: ['*'] }),
    ).rejects.toMatchObject({
      statusCode: 400,
      param: 'url',
      message: expect.stringContaining('URL must be publicly accessible'),
    });
    await expect(refusal({ url: URL, enabled_events: ['*'], api_version: '2099-01-01' })).rejects.toMatchObject({
      statusCode: 400,
      param: 'api_version',
    });
    await expect(refusal({ url: URL, enabled_events: ['*'], colour: 'red' })).rejects.toMatchObject({
      message: 'Received unknown parameter: colour',
    });
    expect((await stripe.webhookEndpoints.list()).data).toEqual([]);
  });

  it("keeps each account's endpoints apart", async () => {
    await stripe.webhookEndpoints.create({ url: URL, enabled_events: ['*'] }, { stripeAccount: 'acct_1Other' });
    expect((await stripe.webhookEndpoints.list()).data).toEqual([]);
    expect((await stripe.webhookEndpoints.list({}, { stripeAccount: 'acct_1Other' })).data).toHaveLength(1);
  });
});
