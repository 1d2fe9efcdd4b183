import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type Stripe from 'stripe';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { eventually, startStripeServer, type StripeTestServer } from '@ledgerline/testing';
import type { ApiTestApp } from '../api-test-app';
import { catalogPrice, type Issued, outcomeOf, sendWebhook, support, startSyncedApp } from './stripe-sync-story';

/**
 * The whole loop: a command, the process manager's Stripe call, and Stripe's webhook about it (the
 * echo, sent here with the object the Stripe server holds) merging into the same record.
 */
describe('platform commands and their Stripe echoes', () => {
  let stripeServer: StripeTestServer;
  let stripe: Stripe;
  let api: ApiTestApp;
  let store: EventStore;
  const http = () => request(api.app.getHttpServer());
  const server = () => api.app.getHttpServer();

  beforeAll(async () => {
    stripeServer = await startStripeServer();
    stripe = stripeServer.stripe();
    api = await startSyncedApp(stripeServer, { PLAN_CHANGE_REFUND: 'full' });
    store = api.app.get(EVENT_STORE);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await stripeServer?.close();
  });

  async function getJson(
    path: string,
    until: (body: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>> {
    let body: Record<string, unknown> = {};
    await eventually(
      async () => {
        const response = await http().get(path).set('Authorization', support);
        body = response.body as Record<string, unknown>;
        return response.status === 200 && until(body);
      },
      15_000,
      `GET ${path}`,
    );
    return body;
  }

  /** A registered customer, linked to Stripe, whose customer.created echo has been received. */
  async function linkedCustomer(firstName: string): Promise<{ id: string; stripeId: string }> {
    const created = (
      await http()
        .post('/customers')
        .set('Authorization', support)
        .send({ firstName, lastName: 'Echo', email: `${firstName}@example.com` })
        .expect(201)
    ).body as Issued;
    const linked = await outcomeOf(api, `customer-${created.id}`, created.events[0]!.eventId);
    const stripeId = (linked.data as { stripeCustomerId: string }).stripeCustomerId;
    await sendWebhook(server(), 'customer.created', await stripe.customers.retrieve(stripeId));
    return { id: created.id, stripeId };
  }

  /** A started subscription, linked, with its customer.subscription.created echo received. */
  async function linkedSubscription(
    customerId: string,
    price: Stripe.Price,
  ): Promise<{ id: string; stripeId: string }> {
    const started = (
      await http()
        .post('/subscriptions')
        .set('Authorization', support)
        .send({ customerId, priceId: price.id, collection: 'send_invoice', shipmentsRemaining: 3 })
        .expect(201)
    ).body as Issued;
    const linked = await outcomeOf(api, `subscription-${started.id}`, started.events[0]!.eventId);
    const stripeId = (linked.data as { stripeSubscriptionId: string }).stripeSubscriptionId;
    await sendWebhook(server(), 'customer.subscription.created', await stripe.subscriptions.retrieve(stripeId));
    return { id: started.id, stripeId };
  }

  it('a registered customer and its customer.created echo are one record, found by either id', async () => {
    const { id, stripeId } = await linkedCustomer('Ada');
    const record = await getJson(`/customers/${stripeId}`, (body) => body.stripeId === stripeId);
    expect(record).toMatchObject({ id, firstName: 'Ada', lastName: 'Echo', email: 'Ada@example.com', deleted: false });
    const found = await getJson('/customers?q=ada@example', (body) => (body.data as unknown[]).length > 0);
    expect((found.data as { id: string }[]).map((c) => c.id)).toEqual([id]);

    await http().delete(`/customers/${id}`).set('Authorization', support).expect(200);
    await getJson(`/customers/${id}`, (body) => body.deleted === true);
    const after = await getJson('/customers?q=ada@example', () => true);
    expect(after.data).toEqual([]);
  });

  it('edits a customer that came from Stripe: its first platform event starts the stream and links it', async () => {
    const original = await stripe.customers.create({ name: 'Dash Board', email: 'dash@example.com' });
    await sendWebhook(server(), 'customer.created', original);
    const record = await getJson(`/customers/${original.id}`, () => true);
    const edit = (
      await http()
        .patch(`/customers/${original.id}`)
        .set('Authorization', support)
        .send({ phone: '+1 555 0123' })
        .expect(200)
    ).body as Issued;
    expect(edit.id).toBe(record.id);
    const [event] = await store.readStream(`customer-${edit.id}`);
    expect(event!.data).toMatchObject({
      stripeCustomerId: original.id,
      changed: ['phone'],
      details: { firstName: 'Dash', lastName: 'Board', email: 'dash@example.com', phone: '+1 555 0123' },
    });
    expect((await outcomeOf(api, `customer-${edit.id}`, edit.events[0]!.eventId)).type).toBe('StripeSyncCompleted');
    expect(((await stripe.customers.retrieve(original.id)) as Stripe.Customer).phone).toBe('+1 555 0123');
    await getJson(`/customers/${original.id}`, (body) => body.phone === '+1 555 0123' && body.id === record.id);
  });

  it('a started subscription and its echo are one subscription, with Stripe’s status', async () => {
    const price = await catalogPrice(server(), stripe, 2500);
    const customer = await linkedCustomer('Sam');
    const { id, stripeId } = await linkedSubscription(customer.id, price);
    const view = await getJson(
      `/subscriptions/${id}`,
      (body) => body.stripeId === stripeId && body.status !== 'pending',
    );
    expect(view).toMatchObject({
      id,
      customerId: customer.id,
      shipmentsRemaining: 3,
      collectionMethod: 'send_invoice',
    });
    expect((await getJson(`/subscriptions/${stripeId}`, () => true)).id).toBe(id);
    const list = await getJson(
      `/customers/${customer.id}/subscriptions`,
      (body) => (body.data as unknown[]).length > 0,
    );
    expect((list.data as { id: string }[]).map((s) => s.id)).toEqual([id]);

    await http()
      .patch(`/subscriptions/${id}`)
      .set('Authorization', support)
      .send({ shipmentsRemaining: 2 })
      .expect(200);
    await getJson(`/subscriptions/${id}`, (body) => body.shipmentsRemaining === 2);
    await eventually(async () => (await stripe.subscriptions.retrieve(stripeId)).metadata.shipments_remaining === '2');
  });

  it('renews with charge upon renewal: the card is charged now and the balance credited by as much', async () => {
    const price = await catalogPrice(server(), stripe, 3000);
    const customer = await linkedCustomer('Rita');
    const card = await stripe.customers.createSource(customer.stripeId, { source: 'tok_visa' });
    await sendWebhook(server(), 'customer.updated', {
      ...(await stripe.customers.retrieve(customer.stripeId)),
      default_source: card.id,
    });
    const subscription = await linkedSubscription(customer.id, price);
    await getJson(`/subscriptions/${subscription.id}`, (body) => body.status !== 'pending');
    await getJson(`/customers/${customer.id}`, (body) => body.defaultPaymentMethod === card.id);

    const renewed = (
      await http().post(`/subscriptions/${subscription.id}/renew`).set('Authorization', support).expect(200)
    ).body as Issued;
    const outcome = await outcomeOf(api, `subscription-${subscription.id}`, renewed.events[0]!.eventId);
    expect(outcome.type).toBe('RenewalChargeLinkedToStripe');
    const [charge] = stripeServer.requests({ method: 'POST', path: '/v1/payment_intents' });
    expect(charge!.params).toMatchObject({
      customer: customer.stripeId,
      amount: '3000',
      currency: 'usd',
      confirm: 'true',
    });
    expect(charge!.idempotencyKey).toBe(`ledgerline-${renewed.events[0]!.eventId}-charge`);
    const [credit] = stripeServer.requests({
      method: 'POST',
      path: `/v1/customers/${customer.stripeId}/balance_transactions`,
    });
    expect(credit!.params).toMatchObject({ amount: '-3000', currency: 'usd' });
    expect(((await stripe.customers.retrieve(customer.stripeId)) as Stripe.Customer).balance).toBe(-3000);
    // The same period cannot be prepaid twice.
    await http().post(`/subscriptions/${subscription.id}/renew`).set('Authorization', support).expect(409);
  });

  it('changes plan: cancels, credits what was paid to the balance (policy full), starts the new one', async () => {
    const [gold, silver] = [await catalogPrice(server(), stripe, 4000), await catalogPrice(server(), stripe, 2000)];
    const customer = await linkedCustomer('Paul');
    const old = await linkedSubscription(customer.id, gold);
    await getJson(`/subscriptions/${old.id}`, (body) => body.status !== 'pending');
    const now = Math.floor(Date.now() / 1000);
    await sendWebhook(server(), 'invoice.paid', {
      id: 'in_paul_1',
      object: 'invoice',
      customer: customer.stripeId,
      subscription: old.stripeId,
      status: 'paid',
      currency: 'usd',
      total: 4000,
      amount_due: 4000,
      amount_paid: 4000,
      amount_remaining: 0,
      period_start: now - 86_400,
      period_end: now + 29 * 86_400,
      created: now,
      lines: { object: 'list', data: [] },
    });
    await eventually(
      async () => (await http().get('/invoices/in_paul_1').set('Authorization', support)).status === 200,
    );

    const changed = (
      await http()
        .post(`/subscriptions/${old.id}/change-plan`)
        .set('Authorization', support)
        .send({ priceId: silver.id })
        .expect(201)
    ).body as Issued;
    expect(changed.events.map((e) => e.type)).toEqual(['SubscriptionPlanChanged', 'SubscriptionStarted']);
    const [planChanged] = await store.readStream(`subscription-${old.id}`, {
      fromRevision: BigInt(changed.events[0]!.revision),
    });
    expect(planChanged!.data).toMatchObject({
      creditAmount: 4000,
      refundPolicy: 'full',
      toPriceId: silver.id,
      newSubscriptionId: changed.id,
    });

    expect((await outcomeOf(api, `subscription-${old.id}`, changed.events[0]!.eventId)).type).toBe(
      'StripeSyncCompleted',
    );
    const linked = await outcomeOf(api, `subscription-${changed.id}`, changed.events[1]!.eventId);
    expect(linked.type).toBe('SubscriptionLinkedToStripe');
    expect((await stripe.subscriptions.retrieve(old.stripeId)).status).toBe('canceled');
    expect(((await stripe.customers.retrieve(customer.stripeId)) as Stripe.Customer).balance).toBe(-4000);
    const newStripeId = (linked.data as { stripeSubscriptionId: string }).stripeSubscriptionId;
    expect((await stripe.subscriptions.retrieve(newStripeId)).items.data[0]!.price.id).toBe(silver.id);
    // The order the process manager kept: cancel, credit, then the new subscription.
    const calls = stripeServer
      .requests()
      .filter(
        (r) =>
          r.idempotencyKey?.includes(changed.events[0]!.eventId) ||
          r.idempotencyKey?.includes(changed.events[1]!.eventId),
      )
      .map((r) => `${r.method} ${r.path.replace(/\/(sub|cus)_\w+/, '/:id')}`);
    expect(calls).toEqual([
      'DELETE /v1/subscriptions/:id',
      'POST /v1/customers/:id/balance_transactions',
      'POST /v1/subscriptions',
    ]);
  });
});
