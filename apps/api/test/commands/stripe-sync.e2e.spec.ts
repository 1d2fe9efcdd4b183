import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import type { CustomerRecordView } from '@ledgerline/read-models';
import { eventually, startStripeServer, type StripeTestServer } from '@ledgerline/testing';
import { type ApiTestApp, startApiTestApp } from '../api-test-app';
import {
  admin,
  catalogPrice,
  type Issued,
  outcomeOf,
  sendWebhook,
  support,
  waitForStripeObject,
  startSyncedApp,
} from './stripe-sync-story';

type CustomerRecord = Pick<CustomerRecordView, 'stripeSync'>;

describe('platform commands carried out on Stripe by the process manager', () => {
  let stripeServer: StripeTestServer;
  let stripe: Stripe;
  let api: ApiTestApp;
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    stripeServer = await startStripeServer();
    stripe = stripeServer.stripe();
    api = await startSyncedApp(stripeServer, { STRIPE_SYNC_MAX_ATTEMPTS: '3' });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await stripeServer?.close();
  });

  async function registerCustomer(body: object = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' }) {
    const response = await http().post('/customers').set('Authorization', support).send(body).expect(201);
    return response.body as Issued;
  }

  it('creates the Stripe customer once, with the platform id in metadata and a key derived from the event', async () => {
    const { id, events } = await registerCustomer();
    const outcome = await outcomeOf(api, `customer-${id}`, events[0]!.eventId);
    expect(outcome.type).toBe('CustomerLinkedToStripe');
    expect(outcome.metadata).toMatchObject({ actor: 'system:stripe-sync', causationId: events[0]!.eventId });

    const creates = stripeServer.requests({ method: 'POST', path: '/v1/customers' });
    const mine = creates.filter((r) => (r.params.metadata as Record<string, string>)?.ledgerline_customer_id === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.idempotencyKey).toBe(`ledgerline-${events[0]!.eventId}-create`);
    expect(mine[0]!.params).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      metadata: { ledgerline_customer_id: id, first_name: 'Ada', last_name: 'Lovelace' },
    });
    const stripeId = (outcome.data as { stripeCustomerId: string }).stripeCustomerId;
    const customer = (await stripe.customers.retrieve(stripeId)) as Stripe.Customer;
    expect(customer.metadata.ledgerline_customer_id).toBe(id);
  });

  it('carries edits and the deletion to the linked Stripe customer', async () => {
    const { id, events } = await registerCustomer({ firstName: 'Alan', lastName: 'Turing' });
    const linked = await outcomeOf(api, `customer-${id}`, events[0]!.eventId);
    const stripeId = (linked.data as { stripeCustomerId: string }).stripeCustomerId;

    const edit = (
      await http()
        .patch(`/customers/${id}`)
        .set('Authorization', support)
        .send({ email: 'alan@example.com' })
        .expect(200)
    ).body as Issued;
    expect((await outcomeOf(api, `customer-${id}`, edit.events[0]!.eventId)).type).toBe('StripeSyncCompleted');
    expect(((await stripe.customers.retrieve(stripeId)) as Stripe.Customer).email).toBe('alan@example.com');

    const removal = (await http().delete(`/customers/${id}`).set('Authorization', support).expect(200)).body as Issued;
    expect((await outcomeOf(api, `customer-${id}`, removal.events[0]!.eventId)).type).toBe('StripeSyncCompleted');
    expect(stripeServer.requests({ method: 'DELETE', path: `/v1/customers/${stripeId}` })).toHaveLength(1);
    expect(((await stripe.customers.retrieve(stripeId)) as Stripe.DeletedCustomer).deleted).toBe(true);
  });

  it('retries 429 and 503 with the same idempotency key, then succeeds', async () => {
    stripeServer.failNext({ method: 'POST', path: '/v1/customers', status: 429, times: 1 });
    stripeServer.failNext({ method: 'POST', path: '/v1/customers', status: 503, times: 1 });
    const { id, events } = await registerCustomer({ firstName: 'Grace', lastName: 'Hopper' });
    expect((await outcomeOf(api, `customer-${id}`, events[0]!.eventId)).type).toBe('CustomerLinkedToStripe');
    const attempts = stripeServer
      .requests({ method: 'POST', path: '/v1/customers' })
      .filter((r) => r.idempotencyKey === `ledgerline-${events[0]!.eventId}-create`);
    expect(attempts.map((r) => r.status)).toEqual([429, 503, 200]);
    // The retries were recorded while they lasted (stripe_sync_attempts), and are gone with the outcome.
    const eventId = events[0]!.eventId;
    const stripeSync = async () =>
      ((await http().get(`/customers/${id}`).set('Authorization', support).expect(200)).body as CustomerRecord)
        .stripeSync;
    await eventually(async () => (await stripeSync())?.state === 'synced', 10_000, 'the customer synced');
    expect(await stripeSync()).toMatchObject({ commandEventId: eventId, nextAttemptAt: null });
    const rows = await api.app
      .get(DataSource)
      .query(`SELECT 1 FROM stripe_sync_attempts WHERE command_event_id = $1`, [eventId]);
    expect(rows).toEqual([]);
  });

  it('records StripeSyncFailed when Stripe keeps failing, visible in /admin/stripe-sync and the activity feed', async () => {
    stripeServer.failNext({ method: 'POST', path: '/v1/customers', status: 500, times: 3 });
    const { id, events } = await registerCustomer({ firstName: 'Failing', lastName: 'Sync' });
    const outcome = await outcomeOf(api, `customer-${id}`, events[0]!.eventId);
    expect(outcome.type).toBe('StripeSyncFailed');
    expect(outcome.data).toMatchObject({ operation: 'POST /v1/customers', attempts: 3, statusCode: 500 });

    let failed: { commandEventId: string; reason: string }[] = [];
    for (let i = 0; i < 200 && !failed.some((f) => f.commandEventId === events[0]!.eventId); i++) {
      const status = await http().get('/admin/stripe-sync?status=failed').set('Authorization', admin).expect(200);
      failed = (status.body as { commands: { data: typeof failed } }).commands.data;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(failed.find((f) => f.commandEventId === events[0]!.eventId)).toBeDefined();
    const activity = await http().get(`/customers/${id}/activity`).set('Authorization', support).expect(200);
    expect(JSON.stringify(activity.body)).toContain('Stripe sync failed');
  });

  it('starts a subscription paid by invoice, then cancels it at period end', async () => {
    const price = await catalogPrice(api.app.getHttpServer(), stripe, 2500, 14);
    const customer = await registerCustomer({ firstName: 'Sub', lastName: 'Scriber' });
    await outcomeOf(api, `customer-${customer.id}`, customer.events[0]!.eventId);

    const started = (
      await http()
        .post('/subscriptions')
        .set('Authorization', support)
        .send({ customerId: customer.id, priceId: price.id, collection: 'send_invoice', shipmentsRemaining: 6 })
        .expect(201)
    ).body as Issued;
    expect(started.events[0]!.type).toBe('SubscriptionStarted');
    const linked = await outcomeOf(api, `subscription-${started.id}`, started.events[0]!.eventId);
    expect(linked.type).toBe('SubscriptionLinkedToStripe');
    const [create] = stripeServer
      .requests({ method: 'POST', path: '/v1/subscriptions' })
      .filter((r) => r.idempotencyKey === `ledgerline-${started.events[0]!.eventId}-create`);
    expect(create!.params).toMatchObject({
      items: [{ price: price.id }],
      collection_method: 'send_invoice',
      days_until_due: '30',
      trial_period_days: '14',
      metadata: {
        ledgerline_subscription_id: started.id,
        ledgerline_customer_id: customer.id,
        shipments_remaining: '6',
      },
    });

    const cancel = (
      await http()
        .post(`/subscriptions/${started.id}/cancel`)
        .set('Authorization', support)
        .send({ when: 'period_end' })
        .expect(200)
    ).body as Issued;
    expect((await outcomeOf(api, `subscription-${started.id}`, cancel.events[0]!.eventId)).type).toBe(
      'StripeSyncCompleted',
    );
    const stripeId = (linked.data as { stripeSubscriptionId: string }).stripeSubscriptionId;
    expect((await stripe.subscriptions.retrieve(stripeId)).cancel_at_period_end).toBe(true);
  });

  it('refunds part of a payment on Stripe, marked as initiated by the platform', async () => {
    const customer = await stripe.customers.create({
      email: 'payer@example.com',
      source: 'tok_visa',
    } as Stripe.CustomerCreateParams);
    const charge = await stripe.charges.create({ amount: 4000, currency: 'usd', customer: customer.id });
    await sendWebhook(api.app.getHttpServer(), 'charge.succeeded', charge);
    await waitForStripeObject(api.app.getHttpServer(), charge.id);
    await eventually(
      async () => (await http().get(`/payments/${charge.id}`).set('Authorization', support)).status === 200,
    );

    await http().post(`/payments/${charge.id}/refund`).set('Authorization', support).send({ amount: 5000 }).expect(400);
    const refund = (
      await http()
        .post(`/payments/${charge.id}/refund`)
        .set('Authorization', support)
        .send({ amount: 1500, reason: 'requested_by_customer' })
        .expect(201)
    ).body as Issued;
    const outcome = await outcomeOf(api, `payment-${charge.id}`, refund.events[0]!.eventId);
    expect(outcome.type).toBe('RefundLinkedToStripe');
    const [call] = stripeServer.requests({ method: 'POST', path: '/v1/refunds' });
    expect(call!.params).toMatchObject({
      charge: charge.id,
      amount: '1500',
      reason: 'requested_by_customer',
      metadata: { ledgerline_command_id: refund.events[0]!.eventId },
    });
    // 2500 left; a second request over what is left (counting the one in flight) is refused.
    await http().post(`/payments/${charge.id}/refund`).set('Authorization', support).send({ amount: 2600 }).expect(400);
  });
});

describe('without STRIPE_API_KEY', () => {
  let api: ApiTestApp;
  beforeAll(async () => {
    api = await startApiTestApp({}, true);
  }, 60_000);
  afterAll(() => api?.close());

  it('records the command; outbound sync waits and /admin/stripe-sync says it is paused', async () => {
    const http = () => request(api.app.getHttpServer());
    const created = (
      await http()
        .post('/customers')
        .set('Authorization', support)
        .send({ firstName: 'Paused', lastName: 'Sync' })
        .expect(201)
    ).body as Issued;
    let body: { outbound: { status: string; reason: string }; pending: number } | undefined;
    // The worker has to project the command first: allow for a loaded CI machine (a fixed 200 polls once ran out).
    await eventually(
      async () => {
        body = (await http().get('/admin/stripe-sync').set('Authorization', admin).expect(200)).body as typeof body;
        return (body?.pending ?? 0) > 0;
      },
      30_000,
      'the paused command counted as pending',
    );
    expect(body!.outbound).toEqual({ status: 'paused', reason: expect.stringContaining('STRIPE_API_KEY') });
    expect(body!.pending).toBe(1);
    expect(created.events).toHaveLength(1);

    // The customer's own answer says its registration waits, and why.
    const customer = (await http().get(`/customers/${created.id}`).set('Authorization', support).expect(200))
      .body as CustomerRecord;
    expect(customer.stripeSync).toMatchObject({
      state: 'paused',
      reason: 'the outbound sync to Stripe is paused (no STRIPE_API_KEY)',
      commandEventId: created.events[0]!.eventId,
      commandEventType: 'CustomerRegistered',
      actor: 'support-tester',
    });
  });
});
