import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { eventually } from '@ledgerline/testing';
import { type ApiTestApp, startApiTestApp } from '../api-test-app';
import { admin, type Issued, sendWebhook, support, WEBHOOK_SECRET } from './stripe-sync-story';

const recurring = (id: string, extra: object = {}) => ({
  id,
  object: 'price',
  active: true,
  currency: 'usd',
  unit_amount: 1200,
  product: 'prod_box',
  type: 'recurring',
  recurring: { interval: 'month', interval_count: 1, trial_period_days: null },
  created: 1_700_000_000,
  ...extra,
});

/**
 * Every validation rule of the subscription and refund commands: a 400 that names the problem, and
 * nothing appended. (The customer rules are in customer-commands.e2e.spec.ts.)
 */
describe('command validation: 400 and nothing appended', () => {
  let api: ApiTestApp;
  let store: EventStore;
  let customerId: string;
  let otherCustomerId: string;
  let deletedCustomerId: string;
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    api = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: WEBHOOK_SECRET, TAXES_ENABLED: 'true' }, true);
    store = api.app.get(EVENT_STORE);
    const server = api.app.getHttpServer();
    await sendWebhook(server, 'price.created', recurring('price_ok'));
    await sendWebhook(server, 'price.created', recurring('price_archived', { active: false }));
    await sendWebhook(server, 'price.created', recurring('price_once', { type: 'one_time', recurring: null }));
    await sendWebhook(server, 'coupon.created', {
      id: 'SPRING',
      object: 'coupon',
      valid: true,
      percent_off: 10,
      created: 1_700_000_000,
    });
    await sendWebhook(server, 'coupon.updated', {
      id: 'EXPIRED',
      object: 'coupon',
      valid: false,
      percent_off: 10,
      created: 1_700_000_000,
    });
    await sendWebhook(server, 'charge.succeeded', {
      id: 'ch_paid',
      object: 'charge',
      amount: 1000,
      amount_captured: 1000,
      amount_refunded: 0,
      currency: 'usd',
      status: 'succeeded',
      paid: true,
      created: 1_700_000_000,
    });
    for (const id of ['price_ok', 'price_archived', 'price_once', 'SPRING', 'EXPIRED']) {
      await eventually(
        async () => (await http().get(`/stripe-objects/${id}`).set('Authorization', admin)).status === 200,
      );
    }
    await eventually(async () => (await http().get('/payments/ch_paid').set('Authorization', support)).status === 200);
    const create = async (body: object) =>
      ((await http().post('/customers').set('Authorization', support).send(body).expect(201)).body as Issued).id;
    customerId = await create({ firstName: 'No', lastName: 'Address' });
    otherCustomerId = await create({
      firstName: 'Has',
      lastName: 'Address',
      address: { line1: '1 Main St', city: 'Springfield', country: 'US', postalCode: '12345' },
    });
    deletedCustomerId = await create({ firstName: 'Gone', lastName: 'Away' });
    await http().delete(`/customers/${deletedCustomerId}`).set('Authorization', support).expect(200);
  }, 60_000);
  afterAll(() => api?.close());

  const address = { line1: '1 Main St', city: 'Springfield', country: 'US', postalCode: '12345' };
  const start = (body: object) => ({
    customerId,
    priceId: 'price_ok',
    collection: 'send_invoice',
    shippingAddress: address,
    ...body,
  });

  async function expect400(method: 'post' | 'patch', path: string, body: object, problem: string | RegExp) {
    const before = await store.headPosition();
    const response = await http()[method](path).set('Authorization', support).send(body);
    expect(response.status).toBe(400);
    const messages = ([] as string[]).concat((response.body as { message: string | string[] }).message);
    expect(messages.some((m) => (typeof problem === 'string' ? m.includes(problem) : problem.test(m)))).toBe(true);
    expect(await store.headPosition()).toBe(before);
  }

  it.each([
    ['no customer', { customerId: undefined }, 'customerId should not be empty'],
    ['unknown customer', { customerId: '9b1e2c3d-0000-4000-8000-000000000000' }, /customerId .* does not exist/],
    ['deleted customer', { customerId: 'DELETED' }, /customerId .* is deleted/],
    ['no price', { priceId: undefined }, 'priceId must be a Stripe price or plan id'],
    ['unknown price', { priceId: 'price_nope' }, 'is not a known price or plan'],
    ['archived price', { priceId: 'price_archived' }, 'is archived'],
    ['one-time price', { priceId: 'price_once' }, 'one-time price'],
    ['unknown coupon', { couponId: 'NOPE' }, 'is not a known coupon'],
    ['expired coupon', { couponId: 'EXPIRED' }, 'can no longer be redeemed'],
    ['negative trial', { trialDays: -1 }, 'trialDays must not be less than 0'],
    ['fractional trial', { trialDays: 1.5 }, 'trialDays must be an integer'],
    ['bad collection', { collection: 'cash' }, 'collection must be one of card_on_file, send_invoice, offline'],
    ['card without a card on file', { collection: 'card_on_file' }, 'needs a card on file'],
    ['gift to themselves', { giftRecipientId: 'SELF' }, 'must be another customer'],
    [
      'unknown gift recipient',
      { giftRecipientId: '9b1e2c3d-0000-4000-8000-000000000001' },
      /giftRecipientId .* does not exist/,
    ],
    ['no address with taxes on', { shippingAddress: undefined }, 'shippingAddress is required when taxes are enabled'],
    ['bad address', { shippingAddress: { line1: '', country: 'USA' } }, 'shippingAddress.country'],
    ['negative shipments', { shipmentsRemaining: -2 }, 'shipmentsRemaining must not be less than 0'],
    ['unknown field', { plan: 'gold' }, 'property plan should not exist'],
  ])('POST /subscriptions refuses %s', async (_name, change, problem) => {
    const body: Record<string, unknown> = start(change);
    if (body.customerId === 'DELETED') body.customerId = deletedCustomerId;
    if (body.giftRecipientId === 'SELF') body.giftRecipientId = customerId;
    for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
    await expect400('post', '/subscriptions', body, problem);
  });

  it('takes the customer’s own address when taxes are on and the request has none', async () => {
    const body = { customerId: otherCustomerId, priceId: 'price_ok', collection: 'offline' };
    const started = (await http().post('/subscriptions').set('Authorization', support).send(body).expect(201))
      .body as Issued;
    const [event] = await store.readStream(`subscription-${started.id}`);
    expect(event!.data).toMatchObject({
      collection: 'offline',
      daysUntilDue: 30,
      trialDays: null,
      customerStripeId: null,
    });
  });

  describe('on an existing subscription', () => {
    let subscriptionId: string;
    beforeAll(async () => {
      const started = await http()
        .post('/subscriptions')
        .set('Authorization', support)
        .send(start({ couponId: 'SPRING' }))
        .expect(201);
      subscriptionId = (started.body as Issued).id;
    });

    it.each([
      ['PATCH with nothing to change', 'patch', '', {}, 'Send shippingAddress and/or shipmentsRemaining'],
      [
        'PATCH with a bad address',
        'patch',
        '',
        { shippingAddress: { line1: 'x', country: 'U' } },
        'shippingAddress.country',
      ],
      [
        'PATCH with negative shipments',
        'patch',
        '',
        { shipmentsRemaining: -1 },
        'shipmentsRemaining must not be less than 0',
      ],
      ['cancel without when', 'post', '/cancel', {}, 'when must be "now" or "period_end"'],
      ['cancel at a bad time', 'post', '/cancel', { when: 'tomorrow' }, 'when must be "now" or "period_end"'],
      ['change-plan without a price', 'post', '/change-plan', {}, 'priceId must be a Stripe price or plan id'],
      [
        'change-plan to an unknown price',
        'post',
        '/change-plan',
        { priceId: 'price_nope' },
        'is not a known price or plan',
      ],
      [
        'change-plan to the same price',
        'post',
        '/change-plan',
        { priceId: 'price_ok' },
        "is the subscription's current price",
      ],
      ['renew without a card on file', 'post', '/renew', {}, /not in Stripe yet|no card on file/],
    ] as const)('refuses %s', async (_name, method, suffix, body, problem) => {
      if (suffix === '/renew') {
        // A subscription not yet in Stripe cannot be prepaid: a 409, also with nothing appended.
        const before = await store.headPosition();
        await http()
          .post(`/subscriptions/${subscriptionId}/renew`)
          .set('Authorization', support)
          .send(body)
          .expect(409);
        expect(await store.headPosition()).toBe(before);
        return;
      }
      await expect400(method, `/subscriptions/${subscriptionId}${suffix}`, body, problem);
    });

    it('answers 404 for an unknown subscription and 409 once it is canceled', async () => {
      await http()
        .post('/subscriptions/sub_unknown/cancel')
        .set('Authorization', support)
        .send({ when: 'now' })
        .expect(404);
      await http()
        .post(`/subscriptions/${subscriptionId}/cancel`)
        .set('Authorization', support)
        .send({ when: 'now' })
        .expect(200);
      await http()
        .patch(`/subscriptions/${subscriptionId}`)
        .set('Authorization', support)
        .send({ shipmentsRemaining: 2 })
        .expect(409);
    });
  });

  it.each([
    ['a zero amount', { amount: 0 }, 'amount must not be less than 1'],
    ['a fractional amount', { amount: 1.5 }, 'amount must be an integer'],
    ['an unknown reason', { reason: 'because' }, 'reason must be one of duplicate, fraudulent, requested_by_customer'],
    ['more than was paid', { amount: 1001 }, '$10.01 is more than the $10.00 left to refund'],
  ])('POST /payments/:id/refund refuses %s', async (_name, body, problem) => {
    await expect400('post', '/payments/ch_paid/refund', body, problem);
  });

  it('answers 404 for a refund of an unknown payment', async () => {
    await http().post('/payments/ch_unknown/refund').set('Authorization', support).send({}).expect(404);
  });
});
