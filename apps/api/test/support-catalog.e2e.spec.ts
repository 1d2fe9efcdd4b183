import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type Stripe from 'stripe';
import { eventually, startStripeServer, type StripeTestServer } from '@ledgerline/testing';
import type { ApiTestApp } from './api-test-app';
import {
  catalogPrice,
  type Issued,
  outcomeOf,
  sendWebhook,
  startSyncedApp,
  support,
  waitForStripeObject,
} from './commands/stripe-sync-story';

/**
 * What the console's subscription pages read besides the subscription: the prices and coupons to
 * choose from, a subscription's invoices, and the subscription that replaced it in a plan change.
 */
describe('catalog listings and a subscription’s invoices and replacement', () => {
  let stripeServer: StripeTestServer;
  let stripe: Stripe;
  let api: ApiTestApp;
  const http = () => request(api.app.getHttpServer());
  const server = () => api.app.getHttpServer();

  beforeAll(async () => {
    stripeServer = await startStripeServer();
    stripe = stripeServer.stripe();
    api = await startSyncedApp(stripeServer);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await stripeServer?.close();
  });

  async function getJson<T>(path: string, until: (body: T) => boolean): Promise<T> {
    let body: T | undefined;
    await eventually(
      async () => {
        const response = await http().get(path).set('Authorization', support);
        body = response.body as T;
        return response.status === 200 && until(body);
      },
      15_000,
      `GET ${path}`,
    );
    return body!;
  }

  it('lists active recurring prices and plans with product name and trial; not one-time or archived ones', async () => {
    const product = await stripe.products.create({ name: 'Aardvark Weekly' });
    await sendWebhook(server(), 'product.created', product);
    const monthly = await catalogPrice(server(), stripe, 1500, 7);
    const named = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 900,
      nickname: 'Weekly',
      recurring: { interval: 'week' },
    });
    await sendWebhook(server(), 'price.created', named);
    const oneTime = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 300 });
    await sendWebhook(server(), 'price.created', oneTime);
    const archived = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1200,
      recurring: { interval: 'month' },
    });
    await sendWebhook(server(), 'price.created', { ...archived, active: false });
    await sendWebhook(server(), 'plan.created', {
      id: 'gold-legacy',
      object: 'plan',
      active: true,
      amount: 5000,
      currency: 'usd',
      interval: 'year',
      interval_count: 1,
      nickname: 'Gold (legacy)',
      product: product.id,
      trial_period_days: 30,
      created: Math.floor(Date.now() / 1000),
    });
    await waitForStripeObject(server(), 'gold-legacy');

    type Prices = { data: Record<string, unknown>[]; hasMore: boolean };
    const prices = await getJson<Prices>('/prices?limit=200', (body) => body.data.some((p) => p.id === 'gold-legacy'));
    const ids = prices.data.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining([monthly.id, named.id, 'gold-legacy']));
    expect(ids).not.toContain(oneTime.id);
    expect(ids).not.toContain(archived.id);
    // The named product first (by name), cheapest first within it.
    expect(ids.indexOf(named.id)).toBeLessThan(ids.indexOf('gold-legacy'));
    expect(prices.data.find((p) => p.id === named.id)).toEqual({
      id: named.id,
      object: 'price',
      productId: product.id,
      productName: 'Aardvark Weekly',
      nickname: 'Weekly',
      currency: 'usd',
      unitAmount: 900,
      interval: 'week',
      intervalCount: 1,
      trialPeriodDays: null,
    });
    expect(prices.data.find((p) => p.id === monthly.id)).toMatchObject({ unitAmount: 1500, trialPeriodDays: 7 });
    expect(prices.data.find((p) => p.id === 'gold-legacy')).toMatchObject({
      object: 'plan',
      unitAmount: 5000,
      interval: 'year',
      trialPeriodDays: 30,
    });
    await http().get('/prices?limit=0').set('Authorization', support).expect(400);
    await http().get('/prices').expect(401);
  });

  it('lists coupons that can still be redeemed', async () => {
    const now = Math.floor(Date.now() / 1000);
    const coupon = (id: string, extra: object) => ({
      id,
      object: 'coupon',
      name: id,
      duration: 'once',
      valid: true,
      created: now,
      ...extra,
    });
    await sendWebhook(server(), 'coupon.created', coupon('TENOFF', { percent_off: 10 }));
    await sendWebhook(server(), 'coupon.created', coupon('FIVER', { amount_off: 500, currency: 'usd' }));
    await sendWebhook(server(), 'coupon.created', coupon('EXPIRED', { percent_off: 50, valid: false }));
    await waitForStripeObject(server(), 'EXPIRED');
    type Coupons = { data: { id: string }[] };
    const coupons = await getJson<Coupons>('/coupons', (body) => body.data.length >= 2);
    expect(coupons.data.map((c) => c.id).sort()).toEqual(['FIVER', 'TENOFF']);
    expect(coupons.data.find((c) => c.id === 'FIVER')).toMatchObject({ amountOff: 500, currency: 'usd' });
    expect(coupons.data.find((c) => c.id === 'TENOFF')).toMatchObject({ percentOff: 10, duration: 'once' });
  });

  it('lists a subscription’s invoices by either id, and names the subscription that replaced it', async () => {
    const [gold, silver] = [await catalogPrice(server(), stripe, 4000), await catalogPrice(server(), stripe, 2000)];
    const customer = (
      await http()
        .post('/customers')
        .set('Authorization', support)
        .send({ firstName: 'Ivy', lastName: 'Invoice' })
        .expect(201)
    ).body as Issued;
    await outcomeOf(api, `customer-${customer.id}`, customer.events[0]!.eventId);
    const started = (
      await http()
        .post('/subscriptions')
        .set('Authorization', support)
        .send({ customerId: customer.id, priceId: gold.id, collection: 'send_invoice' })
        .expect(201)
    ).body as Issued;
    const linked = await outcomeOf(api, `subscription-${started.id}`, started.events[0]!.eventId);
    const stripeId = (linked.data as { stripeSubscriptionId: string }).stripeSubscriptionId;
    await getJson<Record<string, unknown>>(`/subscriptions/${started.id}`, (body) => body.stripeId === stripeId);

    const now = Math.floor(Date.now() / 1000);
    const invoice = (id: string, created: number, extra: object = {}) => ({
      id,
      object: 'invoice',
      customer: 'cus_other',
      subscription: stripeId,
      status: 'paid',
      currency: 'usd',
      total: 4000,
      amount_due: 4000,
      amount_paid: 4000,
      amount_remaining: 0,
      created,
      lines: { object: 'list', data: [] },
      ...extra,
    });
    await sendWebhook(server(), 'invoice.paid', invoice('in_ivy_1', now - 60));
    await sendWebhook(server(), 'invoice.finalized', invoice('in_ivy_2', now, { status: 'open', amount_paid: 0 }));
    await sendWebhook(server(), 'invoice.paid', invoice('in_someone_else', now, { subscription: 'sub_other' }));
    type Invoices = { data: { id: string; status: string }[]; hasMore: boolean };
    const invoices = await getJson<Invoices>(`/subscriptions/${started.id}/invoices`, (b) => b.data.length === 2);
    expect(invoices.data.map((i) => [i.id, i.status])).toEqual([
      ['in_ivy_2', 'open'],
      ['in_ivy_1', 'paid'],
    ]);
    const byStripeId = await getJson<Invoices>(`/subscriptions/${stripeId}/invoices?limit=1`, () => true);
    expect(byStripeId).toMatchObject({ data: [{ id: 'in_ivy_2' }], hasMore: true });
    await http().get('/subscriptions/sub_unknown/invoices').set('Authorization', support).expect(404);

    expect((await getJson<Record<string, unknown>>(`/subscriptions/${started.id}`, () => true)).replacedBy).toBeNull();
    const beforeTheChange = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const changed = (
      await http()
        .post(`/subscriptions/${started.id}/change-plan`)
        .set('Authorization', support)
        .send({ priceId: silver.id })
        .expect(201)
    ).body as Issued;
    const old = await getJson<Record<string, unknown>>(`/subscriptions/${started.id}`, (b) => b.replacedBy !== null);
    expect(old.replacedBy).toBe(changed.id);
    const replacement = await getJson<Record<string, unknown>>(`/subscriptions/${changed.id}`, () => true);
    expect(replacement).toMatchObject({ replacesSubscriptionId: started.id, replacedBy: null });
    // Time travel tells the same from the events: not replaced before the change, replaced after.
    const asOf = async (at: string) =>
      (await http().get(`/subscriptions/${started.id}`).query({ asOf: at }).set('Authorization', support).expect(200))
        .body as Record<string, unknown>;
    expect((await asOf(beforeTheChange)).replacedBy).toBeNull();
    expect((await asOf(new Date().toISOString())).replacedBy).toBe(changed.id);
  });
});
