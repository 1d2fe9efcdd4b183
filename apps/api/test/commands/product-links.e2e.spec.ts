import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { eventually, loadObjectFixture, postWebhook } from '@ledgerline/testing';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from '../api-test-app';

const SECRET = 'whsec_product_links_0123456789';
const admin = `Bearer ${TEST_KEYS.admin}`;
const support = `Bearer ${TEST_KEYS.support}`;
const T0 = Math.floor(Date.now() / 1000) - 60;

interface Link {
  productId: string;
  stripeProductId: string | null;
  account: string | null;
  linkedAt: string | null;
  linkedBy: string | null;
}

/** A customer and a subscription to `prod_print`, as Stripe's webhooks tell them. */
function customer() {
  return { ...loadObjectFixture('customer'), id: 'cus_reader', name: 'Nellie Bly', email: 'nellie@example.com' };
}

function subscription(status: string) {
  const price = { ...loadObjectFixture('price'), id: 'price_print', product: 'prod_print', currency: 'usd' };
  const item = { object: 'subscription_item', id: 'si_reader', price, quantity: 1 };
  return {
    ...loadObjectFixture('subscription'),
    id: 'sub_reader',
    customer: 'cus_reader',
    status,
    currency: 'usd',
    items: { object: 'list', data: [item], has_more: false },
    cancel_at_period_end: false,
    schedule: null,
    metadata: {},
  };
}

describe('product links (PUT/DELETE /products/:productId/stripe-link, GET /products)', () => {
  let api: ApiTestApp;
  let store: EventStore;
  const http = () => request(api.app.getHttpServer());
  const link = (productId: string, body: object, auth = admin) =>
    http().put(`/products/${productId}/stripe-link`).set('Authorization', auth).send(body);
  const unlink = (productId: string, auth = admin) =>
    http().delete(`/products/${productId}/stripe-link`).set('Authorization', auth);
  const typesOf = async (productId: string) => (await store.readStream(`product-${productId}`)).map((e) => e.type);
  let sequence = 0;
  const webhook = (type: string, object: object, created: number) =>
    postWebhook(
      api.app.getHttpServer(),
      {
        id: `evt_pl_${++sequence}`,
        object: 'event',
        type,
        api_version: '2024-06-20',
        created,
        livemode: false,
        data: { object },
      },
      SECRET,
    ).expect(200);
  const accessOf = async (customerId: string) =>
    (await http().get(`/customers/${customerId}/access`).set('Authorization', support)).body as {
      data?: { productId: string; active: boolean; platformProductIds: string[] }[];
    };
  const subscriptionStatus = async (id: string) =>
    ((await http().get(`/subscriptions/${id}`).set('Authorization', support)).body as { status?: string }).status;

  beforeAll(async () => {
    api = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: SECRET }, true);
    store = api.app.get(EVENT_STORE);
  });
  afterAll(() => api?.close());

  it('links a platform product: 200 with the link, then GET /products/:id and the audit trail with the actor', async () => {
    const response = await link('magazine-print', { stripeProductId: 'prod_print' }).expect(200);
    const answer = response.body as Link;
    expect(answer).toEqual({
      productId: 'magazine-print',
      stripeProductId: 'prod_print',
      account: null,
      linkedAt: expect.any(String),
      linkedBy: 'admin-tester',
    });

    await eventually(
      async () => (await http().get('/products/magazine-print').set('Authorization', support)).status === 200,
      10_000,
      'the link in the product_links read model',
    );
    const found = await http().get('/products/magazine-print').set('Authorization', support).expect(200);
    expect(found.body).toMatchObject({ ...answer, unlinkedAt: null, activeSubscriptions: 0 });

    const trail = await http().get('/streams/product-magazine-print').set('Authorization', support).expect(200);
    expect(trail.body.events).toEqual([
      expect.objectContaining({
        type: 'ProductLinkedToStripe',
        actor: 'admin-tester',
        source: 'platform',
        schemaVersion: 1,
        data: {
          productId: 'magazine-print',
          stripeProductId: 'prod_print',
          stripeAccount: null,
          previousStripeProductId: null,
        },
      }),
    ]);
  });

  it('answers the same link again the same, appending nothing', async () => {
    const first = (await http().get('/products/magazine-print').set('Authorization', support)).body as Link;
    const again = await link('magazine-print', { stripeProductId: 'prod_print' }).expect(200);
    expect(again.body).toEqual({
      productId: 'magazine-print',
      stripeProductId: 'prod_print',
      account: null,
      linkedAt: first.linkedAt,
      linkedBy: 'admin-tester',
    });
    const trail = await http().get('/streams/product-magazine-print').set('Authorization', support).expect(200);
    expect(trail.body.events).toHaveLength(1);
  });

  it('shows the platform product in the access of a customer subscribed to the Stripe product', async () => {
    await webhook('customer.created', customer(), T0);
    await webhook('customer.subscription.created', subscription('active'), T0 + 1);
    await eventually(
      async () => (await accessOf('cus_reader')).data?.some((entry) => entry.active) === true,
      10_000,
      'the subscription in the access read model',
    );
    expect((await accessOf('cus_reader')).data).toEqual([
      expect.objectContaining({
        productId: 'prod_print',
        source: 'subscription',
        sourceId: 'sub_reader',
        active: true,
        platformProductIds: ['magazine-print'],
      }),
    ]);
    const listed = await http().get('/products').set('Authorization', support).expect(200);
    expect(listed.body).toMatchObject({
      data: [{ productId: 'magazine-print', stripeProductId: 'prod_print', activeSubscriptions: 1 }],
      hasMore: false,
    });
  });

  it('refuses to relink or unlink while subscriptions give access through the link (409)', async () => {
    const relink = await link('magazine-print', { stripeProductId: 'prod_printV2' }).expect(409);
    expect(relink.body.message).toMatch(/cannot be linked to another Stripe product: 1 active subscription gives/);
    expect(relink.body.message).toContain('sub_reader');
    expect(relink.body.message).toContain('Cancel them or wait until they end');
    const removed = await unlink('magazine-print').expect(409);
    expect(removed.body.message).toMatch(/cannot be unlinked: 1 active subscription .*\(sub_reader\)/);
    expect(await typesOf('magazine-print')).toEqual(['ProductLinkedToStripe']);
  });

  it('links a Stripe product to one platform product per account at most', async () => {
    const taken = await link('magazine-extra', { stripeProductId: 'prod_print' }).expect(409);
    expect(taken.body.message).toMatch(/prod_print is already linked to product magazine-print/);
    expect(await store.readStream('product-magazine-extra')).toEqual([]);

    // Right after a link, too: the check waits for product_links to hold the links stored before it.
    await link('paper-a', { stripeProductId: 'prod_paper' }).expect(200);
    const rightAfter = await link('paper-b', { stripeProductId: 'prod_paper' }).expect(409);
    expect(rightAfter.body.message).toMatch(/prod_paper is already linked to product paper-a/);

    // The same product id in a Connect account is another Stripe product: it links, and gives no access here.
    const connect = await link('magazine-extra', { stripeProductId: 'prod_print', account: 'acct_1Conn' }).expect(200);
    expect(connect.body).toMatchObject({ stripeProductId: 'prod_print', account: 'acct_1Conn' });
    await eventually(
      async () => (await http().get('/products/magazine-extra').set('Authorization', support)).status === 200,
      10_000,
      'the Connect link in the read model',
    );
    expect((await accessOf('cus_reader')).data![0]!.platformProductIds).toEqual(['magazine-print']);
  });

  it('allows relinking once the subscription is cancelled, then unlinking; a second unlink is 404', async () => {
    await webhook('customer.subscription.deleted', { ...subscription('canceled'), ended_at: T0 + 2 }, T0 + 2);
    await eventually(async () => (await subscriptionStatus('sub_reader')) === 'canceled', 10_000, 'the cancellation');

    const relinked = await link('magazine-print', { stripeProductId: 'prod_printV2' }).expect(200);
    expect(relinked.body).toMatchObject({ stripeProductId: 'prod_printV2', linkedBy: 'admin-tester' });
    const [, moved] = await store.readStream('product-magazine-print');
    expect(moved!.data).toEqual({
      productId: 'magazine-print',
      stripeProductId: 'prod_printV2',
      stripeAccount: null,
      previousStripeProductId: 'prod_print',
    });

    const removed = await unlink('magazine-print').expect(200);
    expect(removed.body).toEqual({
      productId: 'magazine-print',
      stripeProductId: 'prod_printV2',
      account: null,
      unlinkedAt: expect.any(String),
      unlinkedBy: 'admin-tester',
    });
    await unlink('magazine-print').expect(404);
    expect(await typesOf('magazine-print')).toEqual([
      'ProductLinkedToStripe',
      'ProductLinkedToStripe',
      'ProductUnlinkedFromStripe',
    ]);
    await eventually(
      async () =>
        ((await http().get('/products/magazine-print').set('Authorization', support)).body as Link).stripeProductId ===
        null,
      10_000,
      'the unlink in the read model',
    );
    const shown = await http().get('/products/magazine-print').set('Authorization', support).expect(200);
    expect(shown.body).toMatchObject({ stripeProductId: null, unlinkedBy: 'admin-tester', activeSubscriptions: 0 });
  });

  it('answers 404 for a product never linked: unlinking it, or reading it', async () => {
    await unlink('never-linked').expect(404);
    await http().get('/products/never-linked').set('Authorization', support).expect(404);
  });

  it.each([
    ['Magazine', { stripeProductId: 'prod_1' }, 'productId must be a platform product key'],
    ['-magazine', { stripeProductId: 'prod_1' }, 'productId must be a platform product key'],
    ['m'.repeat(65), { stripeProductId: 'prod_1' }, 'productId must be a platform product key'],
    ['magazine', {}, 'stripeProductId must be a Stripe product id'],
    ['magazine', { stripeProductId: 'price_1' }, 'stripeProductId must be a Stripe product id'],
    ['magazine', { stripeProductId: 'prod_1', account: 'cus_1' }, 'account must be a Stripe Connect account id'],
    ['magazine', { stripeProductId: 'prod_1', extra: true }, 'property extra should not exist'],
  ])('refuses PUT /products/%s/stripe-link %j with a 400 naming the field', async (productId, body, expected) => {
    const before = await store.headPosition();
    const response = await link(productId, body).expect(400);
    expect((response.body as { message: string[] }).message).toEqual(
      expect.arrayContaining([expect.stringContaining(expected)]),
    );
    expect(await store.headPosition()).toBe(before);
  });

  it('lets only admins link and unlink; support and admins read', async () => {
    await link('magazine-print', { stripeProductId: 'prod_print' }, support).expect(403);
    await unlink('magazine-extra', support).expect(403);
    await http().get('/products').set('Authorization', support).expect(200);
    await http().get('/products').set('Authorization', admin).expect(200);
    await http().get('/products').set('Authorization', `Bearer ${TEST_KEYS.finance}`).expect(403);
    await http().delete('/products/Bad/stripe-link').set('Authorization', admin).expect(400);
  });
});
