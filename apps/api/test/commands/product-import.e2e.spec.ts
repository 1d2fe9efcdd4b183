import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { BackfillRun } from '@ledgerline/backfill';
import {
  eventually,
  loadObjectFixture,
  startStripeServer,
  STRIPE_TEST_API_KEY,
  type StripeTestServer,
} from '@ledgerline/testing';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from '../api-test-app';

const admin = `Bearer ${TEST_KEYS.admin}`;
const support = `Bearer ${TEST_KEYS.support}`;
const NOW = Math.floor(Date.now() / 1000);

/** Subscriptions Ledgerline has never heard of: only Stripe knows them, until a product link. */
function stripeAccount(): Record<string, unknown>[] {
  const customer = (i: number) => ({
    ...loadObjectFixture('customer'),
    id: `cus_existing${i}`,
    name: `Existing Reader ${i}`,
    email: `reader${i}@example.com`,
    created: NOW - 86_400 * (30 - i),
  });
  const subscription = (i: number, product: string, status: string) => {
    const price = { ...loadObjectFixture('price'), id: `price_${product}`, product, currency: 'usd' };
    return {
      ...loadObjectFixture('subscription'),
      id: `sub_existing${i}`,
      customer: `cus_existing${i}`,
      status,
      created: NOW - 86_400 * (20 - i),
      items: {
        object: 'list',
        has_more: false,
        data: [{ object: 'subscription_item', id: `si_existing${i}`, price, quantity: 1 }],
      },
      cancel_at_period_end: false,
      schedule: null,
      metadata: {},
    };
  };
  return [
    ...[0, 1, 2, 3, 4].map(customer),
    subscription(0, 'prod_print', 'active'),
    subscription(1, 'prod_print', 'trialing'),
    subscription(2, 'prod_print', 'past_due'),
    subscription(3, 'prod_print', 'canceled'),
    subscription(4, 'prod_digital', 'active'),
  ];
}

/**
 * Linking a platform product to a Stripe product imports, as backfill events, the customers whose
 * subscriptions give access to it, and the access read model then grants them the platform product.
 */
describe('product link import (worker)', () => {
  let api: ApiTestApp;
  let stripeServer: StripeTestServer;
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    stripeServer = await startStripeServer();
    stripeServer.seedObjects(stripeAccount());
    api = await startApiTestApp({ STRIPE_API_KEY: STRIPE_TEST_API_KEY, STRIPE_API_BASE: stripeServer.url }, true);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await stripeServer?.close();
  });

  it('imports the subscribers with access and grants them the platform product; nobody else', async () => {
    await http().get('/customers/cus_existing0').set('Authorization', support).expect(404);
    await http()
      .put('/products/magazine-print/stripe-link')
      .set('Authorization', admin)
      .send({ stripeProductId: 'prod_print' })
      .expect(200);

    let run: BackfillRun | undefined;
    await eventually(
      async () => {
        const runs = (await http().get('/admin/backfill').set('Authorization', admin).expect(200)).body
          .data as BackfillRun[];
        run = runs.find((r) => r.kind === 'product_import' && r.status === 'done');
        return run !== undefined;
      },
      30_000,
      'the product import run',
    );
    expect(run).toMatchObject({
      stripeProductId: 'prod_print',
      requestedBy: 'product-link:admin-tester',
      accountScope: 'platform',
    });
    expect(run!.progress.map((row) => [row.object, row.appended])).toEqual([
      ['customers', 3],
      ['subscriptions', 3],
    ]);

    for (const id of ['cus_existing0', 'cus_existing1', 'cus_existing2']) {
      await eventually(
        async () => {
          const access = await http().get(`/customers/${id}/access`).set('Authorization', support);
          const entries = (access.body.data ?? []) as {
            productId: string;
            active: boolean;
            platformProductIds: string[];
          }[];
          return entries.some(
            (e) => e.productId === 'prod_print' && e.active && e.platformProductIds.includes('magazine-print'),
          );
        },
        20_000,
        `access of ${id}`,
      );
      const customer = await http().get(`/customers/${id}`).set('Authorization', support).expect(200);
      expect(customer.body).toMatchObject({ stripeId: id, email: `reader${id.slice(-1)}@example.com` });
    }
    // A cancelled subscriber and another product's subscriber were not imported.
    await http().get('/customers/cus_existing3').set('Authorization', support).expect(404);
    await http().get('/customers/cus_existing4').set('Authorization', support).expect(404);
    const trail = await http()
      .get('/streams/stripe_subscription-sub_existing0')
      .set('Authorization', support)
      .expect(200);
    expect(JSON.stringify(trail.body)).toContain('customer.subscription.backfilled');

    // The imported subscriptions now hold the link in place.
    const refused = await http()
      .put('/products/magazine-print/stripe-link')
      .set('Authorization', admin)
      .send({ stripeProductId: 'prod_digital' })
      .expect(409);
    expect(refused.body.message).toMatch(/3 active subscriptions/);
  }, 90_000);
});
