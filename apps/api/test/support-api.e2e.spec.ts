import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { App } from 'supertest/types';
import { platformCustomerId } from '@ledgerline/read-models';
import { postWebhook, shuffle } from '@ledgerline/testing';
import { type ApiTestApp, projectionsCaughtUp, startApiTestApp, TEST_KEYS } from './api-test-app';
import { expiringCard, type StoryEvent, supportStory, T0 } from './support-story';

const SECRET = 'whsec_support_test_0123456789';
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

async function feed(harness: ApiTestApp, events: StoryEvent[]): Promise<void> {
  const server = harness.app.getHttpServer();
  for (const event of events) await postWebhook(server, event, SECRET).expect(200);
  await projectionsCaughtUp(harness);
}

describe('support query API', () => {
  let harness: ApiTestApp | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  const get = (server: App, path: string) =>
    request(server).get(path).set('Authorization', `Bearer ${TEST_KEYS.support}`);

  it('answers the customer record, its tabs, subscriptions, invoices and payments from the webhooks', async () => {
    harness = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: SECRET }, true);
    await feed(harness, supportStory());
    const server = harness.app.getHttpServer();
    const customerId = platformCustomerId('cus_story', null);

    const customer = (await get(server, '/customers/cus_story').expect(200)).body;
    expect(customer).toMatchObject({
      id: customerId,
      stripeId: 'cus_story',
      stripeIds: ['cus_story'],
      name: 'Grace Hopper',
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@navy.example',
      phone: '+1 (555) 010-2030',
      company: 'US Navy',
      department: 'Fleet Computing',
      balance: -500,
      currency: 'eur',
      delinquent: false,
      deleted: false,
      defaultPaymentMethod: 'pm_story',
      lastEventId: 'evt_story_18',
    });
    expect(customer).not.toHaveProperty('searchText');
    expect(customer.lastEventId).toBe('evt_story_18');
    expect((await get(server, `/customers/${customerId}`).expect(200)).body).toEqual(customer);

    const addresses = (await get(server, '/customers/cus_story/addresses').expect(200)).body.data;
    expect(addresses).toEqual([
      {
        kind: 'billing',
        name: 'Grace Hopper',
        phone: '+1 (555) 010-2030',
        line1: '1 Navy Way',
        line2: null,
        city: 'Arlington',
        postalCode: '22202',
        state: 'VA',
        country: 'US',
        source: 'stripe',
      },
      {
        kind: 'shipping',
        name: 'Grace Hopper',
        phone: null,
        line1: '7 Harbor Road',
        line2: 'Dock 4',
        city: 'Norfolk',
        postalCode: '23511',
        state: 'VA',
        country: 'US',
        source: 'stripe',
      },
    ]);

    const subscription = (await get(server, '/subscriptions/sub_story').expect(200)).body;
    expect(subscription).toMatchObject({
      id: 'sub_story',
      status: 'canceled',
      customerId,
      customerStripeId: 'cus_story',
      productIds: ['prod_story'],
      trialStart: iso(T0),
      trialEnd: iso(T0 + 14 * 86_400),
      currentPeriodEnd: iso(T0 + 30 * 86_400),
      cancelAtPeriodEnd: false,
      canceledAt: iso(T0 + 20 * 86_400),
      collectionMethod: 'charge_automatically',
      giftRecipient: 'ada@example.org',
      shipmentsRemaining: 3,
      discount: {
        id: 'di_story',
        coupon: { id: 'WELCOME10', name: 'Welcome', percentOff: 10, amountOff: null, currency: null, duration: 'once' },
      },
    });
    expect(subscription.items).toEqual([
      expect.objectContaining({
        id: 'si_story',
        priceId: 'price_story',
        productId: 'prod_story',
        nickname: 'Pro monthly',
        quantity: 1,
        unitAmount: 2000,
        currency: 'eur',
        interval: 'month',
      }),
    ]);
    expect(
      subscription.history.map((h: { from: string | null; to: string; stripeEventId: string }) => [
        h.from,
        h.to,
        h.stripeEventId,
      ]),
    ).toEqual([
      [null, 'trialing', 'evt_story_05'],
      ['trialing', 'active', 'evt_story_07'],
      ['active', 'past_due', 'evt_story_15'],
      ['past_due', 'canceled', 'evt_story_16'],
    ]);
    expect(subscription.history[3]).toMatchObject({
      at: iso(T0 + 15 * 60),
      eventType: 'customer.subscription.deleted',
    });

    const invoice = (await get(server, '/invoices/in_story').expect(200)).body;
    expect(invoice).toMatchObject({
      status: 'paid',
      total: 2000,
      amountDue: 2000,
      amountPaid: 2000,
      amountRemaining: 0,
      currency: 'eur',
      number: 'STORY-0001',
      paidAt: iso(T0 + 2 * 86_400),
      hostedInvoiceUrl: 'https://invoice.stripe.com/i/story',
    });
    expect(invoice.lines).toEqual([
      expect.objectContaining({ id: 'il_story', amount: 2000, productId: 'prod_story', subscriptionId: 'sub_story' }),
    ]);

    const payment = (await get(server, '/payments/ch_story').expect(200)).body;
    expect(payment).toMatchObject({
      object: 'charge',
      amount: 2000,
      amountRefunded: 500,
      currency: 'eur',
      status: 'succeeded',
      invoiceId: 'in_story',
    });
    const { expMonth, expYear } = { expMonth: expiringCard().exp_month, expYear: expiringCard().exp_year };
    expect(payment.paymentMethod).toEqual({ type: 'card', brand: 'visa', last4: '4242', expMonth, expYear });
    expect(payment.refunds).toEqual([
      expect.objectContaining({ id: 're_story', amount: 500, initiatedBy: 'stripe', status: 'succeeded' }),
    ]);
    expect(payment.disputes).toEqual([
      expect.objectContaining({
        id: 'dp_story',
        status: 'lost',
        amount: 1500,
        funds: [expect.objectContaining({ amount: -1500, fee: 1500, net: -3000 })],
      }),
    ]);
    expect(JSON.stringify(payment)).not.toContain('fp_secret');

    const tab = async (name: string) => (await get(server, `/customers/cus_story/${name}`).expect(200)).body.data;
    expect((await tab('subscriptions')).map((s: { id: string }) => s.id)).toEqual(['sub_story']);
    expect((await tab('invoices')).map((i: { id: string }) => i.id).sort()).toEqual(['in_book', 'in_fail', 'in_story']);
    expect((await tab('payments')).map((p: { id: string }) => p.id)).toEqual(['ch_story']);
    const methods = await tab('payment-methods');
    expect(methods).toEqual([
      expect.objectContaining({
        id: 'pm_story',
        brand: 'visa',
        last4: '4242',
        isDefault: true,
        expiringSoon: true,
        expired: false,
      }),
      // The card source of customer.source.expiring: an older integration's card, listed alike.
      expect.objectContaining({ id: 'card_story', type: 'card', isDefault: false, expiringSoon: true }),
    ]);
    expect(JSON.stringify(methods)).not.toContain('fp_secret');
    const access = await tab('access');
    expect(access).toEqual([
      expect.objectContaining({
        productId: 'prod_book',
        source: 'purchase',
        sourceId: 'in_book',
        active: true,
        granted: expect.objectContaining({ stripeEventId: 'evt_story_17' }),
      }),
      expect.objectContaining({
        productId: 'prod_story',
        source: 'subscription',
        active: false,
        granted: expect.objectContaining({ stripeEventId: 'evt_story_05' }),
        revoked: expect.objectContaining({ stripeEventId: 'evt_story_16' }),
      }),
    ]);

    const activity = await tab('activity?limit=100');
    expect(
      activity.map((entry: { kind: string; event: { stripeEventId: string } }) => [
        entry.kind,
        entry.event.stripeEventId,
      ]),
    ).toEqual([
      ['card_expiring', 'evt_story_20'],
      ['payment_failed', 'evt_story_19'],
      ['customer_updated', 'evt_story_18'],
      ['invoice_paid', 'evt_story_17'],
      ['product_purchased', 'evt_story_17'],
      ['subscription_cancelled', 'evt_story_16'],
      ['subscription_status_changed', 'evt_story_15'],
      ['dispute_closed', 'evt_story_14'],
      ['dispute_opened', 'evt_story_13'],
      ['refund_issued', 'evt_story_12'],
      ['invoice_paid', 'evt_story_11'],
      ['subscription_renewed', 'evt_story_11'],
      ['invoice_created', 'evt_story_08'],
      ['subscription_status_changed', 'evt_story_07'],
      ['trial_ending', 'evt_story_06'],
      ['trial_started', 'evt_story_05'],
      ['customer_created', 'evt_story_03'],
    ]);
    const summaries = activity.map((entry: { summary: string }) => entry.summary);
    expect(summaries).toContain('Refund of €5.00 issued: requested by customer');
    expect(summaries).toContain('Subscription past due (was active)');
    expect(summaries).toContain('Dispute closed: lost');
    expect(JSON.stringify(activity)).not.toMatch(/navy\.example|Navy Way|fp_secret/);

    const notifications = await tab('notifications?limit=100');
    expect(
      notifications.map((n: { kind: string; status: string; stripeEventId: string }) => [
        n.kind,
        n.status,
        n.stripeEventId,
      ]),
    ).toEqual([
      ['card_expiring', 'pending', 'evt_story_20'],
      ['payment_failed', 'pending', 'evt_story_19'],
      ['subscription_cancelled', 'pending', 'evt_story_16'],
      ['charge_succeeded', 'pending', 'evt_story_10'],
      ['invoice_created', 'pending', 'evt_story_08'],
      ['trial_will_end', 'pending', 'evt_story_06'],
      ['subscription_created', 'pending', 'evt_story_05'],
      ['customer_created', 'pending', 'evt_story_03'],
    ]);
  }, 60_000);

  it('searches customers and subscriptions partially and literally, pages, exports CSV and refuses bad input', async () => {
    harness = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: SECRET }, true);
    const others = Array.from({ length: 5 }, (_, i) => ({
      id: `evt_other_${i}`,
      object: 'event',
      type: 'customer.created',
      created: T0 + i,
      data: {
        object: {
          id: `cus_other_${i}`,
          object: 'customer',
          name: `Other ${i} Person`,
          email: `other${i}@example.com`,
          phone: null,
          // Issue 28: sorted by, and filtered on.
          balance: (i % 3) * 100 - i,
          delinquent: i === 3,
          created: T0 - i * 60,
        },
      },
    }));
    // Issue 28: names support types in another order, without accents, or in Chinese.
    const named = [
      ['cus_alice', 'Alice Johnson'],
      ['cus_orsted', 'Mette Ørsted'],
      ['cus_chen', '伟 陈'],
    ].map(([id, name], i) => ({
      id: `evt_named_${i}`,
      object: 'event',
      type: 'customer.created',
      created: T0 + 10 + i,
      data: { object: { id, object: 'customer', name, email: null, phone: null } },
    }));
    await feed(harness, [...supportStory(), ...([...others, ...named] as unknown as StoryEvent[])]);
    const server = harness.app.getHttpServer();
    const ids = async (path: string) =>
      (await get(server, path).expect(200)).body.data.map((c: { stripeId: string }) => c.stripeId);

    expect(await ids('/customers?q=HOPPER')).toEqual(['cus_story']);
    expect(await ids('/customers?q=ace@navy')).toEqual(['cus_story']);
    expect(await ids('/customers?q=navy%20way')).toEqual(['cus_story']);
    expect(await ids('/customers?q=harbor')).toEqual(['cus_story']);
    expect(await ids('/customers?q=010-2030')).toEqual(['cus_story']);
    expect(await ids('/customers?q=5550102030')).toEqual(['cus_story']);
    expect(await ids('/customers?q=fleet%20comp')).toEqual(['cus_story']);
    // LIKE and SQL metacharacters are matched as themselves.
    expect(await ids('/customers?q=%25')).toEqual([]);
    expect(await ids('/customers?q=_')).toEqual([]);
    expect(await ids(`/customers?q=${encodeURIComponent("' OR 1=1 --")}`)).toEqual([]);
    // Every word in any order, accents and ø folded, Chinese per character, and by id (issue 28).
    expect(await ids('/customers?q=john%20ali')).toEqual(['cus_alice']);
    expect(await ids('/customers?q=ali%20john')).toEqual(['cus_alice']);
    expect(await ids('/customers?q=orsted')).toEqual(['cus_orsted']);
    expect(await ids(`/customers?q=${encodeURIComponent('陈伟')}`)).toEqual(['cus_chen']);
    expect(await ids('/customers?q=cus_story')).toEqual(['cus_story']);
    expect(await ids(`/customers?q=${platformCustomerId('cus_story', null)}`)).toEqual(['cus_story']);

    const first = (await get(server, '/customers?q=person&limit=2').expect(200)).body;
    expect(first).toMatchObject({ limit: 2, offset: 0, hasMore: true });
    const last = (await get(server, '/customers?q=person&limit=2&offset=4').expect(200)).body;
    expect(last).toMatchObject({ hasMore: false, data: [expect.objectContaining({ name: 'Other 4 Person' })] });

    // Issue 28: sorted, filtered and counted; ties by id, customers without the value last.
    const listed = async (path: string) => {
      const body = (await get(server, path).expect(200)).body;
      return {
        ids: body.data.map((c: { stripeId: string }) => c.stripeId),
        total: body.total,
        capped: body.totalCapped,
      };
    };
    const otherPeople = (order: number[]) => ({ ids: order.map((i) => `cus_other_${i}`), total: 5, capped: false });
    expect(await listed('/customers?q=person')).toEqual(otherPeople([0, 1, 2, 3, 4]));
    expect(await listed('/customers?q=person&sort=name&order=desc')).toEqual(otherPeople([4, 3, 2, 1, 0]));
    expect(await listed('/customers?q=person&sort=balance&order=desc')).toEqual(otherPeople([2, 1, 4, 0, 3]));
    expect(await listed('/customers?q=person&sort=balance')).toEqual(otherPeople([3, 0, 4, 1, 2]));
    expect(await listed('/customers?q=person&sort=created&order=asc')).toEqual(otherPeople([4, 3, 2, 1, 0]));
    expect(await listed('/customers?q=person&sort=email&order=desc')).toEqual(otherPeople([4, 3, 2, 1, 0]));
    const byBalance = await listed('/customers?sort=balance&limit=3');
    expect(byBalance).toEqual({ ids: ['cus_story', 'cus_other_3', 'cus_other_0'], total: 9, capped: false });
    const noBalance = (await listed('/customers?sort=balance&order=desc&offset=6')).ids;
    expect(noBalance.sort()).toEqual(['cus_alice', 'cus_chen', 'cus_orsted']);
    expect(await listed('/customers?delinquent=true')).toEqual({ ids: ['cus_other_3'], total: 1, capped: false });
    expect((await listed('/customers?delinquent=false&q=person')).ids).toEqual([
      'cus_other_0',
      'cus_other_1',
      'cus_other_2',
      'cus_other_4',
    ]);
    expect(await listed('/customers?subscriptionStatus=canceled')).toEqual({
      ids: ['cus_story'],
      total: 1,
      capped: false,
    });
    expect(await listed('/customers?subscriptionStatus=active')).toEqual({ ids: [], total: 0, capped: false });

    // The activity tab by the kind of object and a window (a time counts to its second's end).
    const activity = async (query: string) => {
      const body = (await get(server, `/customers/cus_story/activity?${query}`).expect(200)).body;
      return { kinds: body.data.map((entry: { kind: string }) => entry.kind), total: body.total };
    };
    expect(await activity('objectType=dispute')).toEqual({ kinds: ['dispute_closed', 'dispute_opened'], total: 2 });
    expect(await activity(`from=${iso(T0 + 11 * 60)}&to=${iso(T0 + 13 * 60)}`)).toEqual({
      kinds: ['dispute_closed', 'dispute_opened', 'refund_issued'],
      total: 3,
    });
    const day = iso(T0).slice(0, 10);
    expect((await activity(`from=${day}&to=${day}&limit=2`)).total).toBe(17);
    expect(await activity(`objectType=invoice&from=${iso(T0 + 11 * 60)}`)).toEqual({
      kinds: ['payment_failed', 'invoice_paid', 'product_purchased'],
      total: 3,
    });

    const subscriptions = async (query: string) =>
      (await get(server, `/subscriptions${query}`).expect(200)).body.data.map((s: { id: string }) => s.id);
    expect(await subscriptions('?q=fleet&status=canceled')).toEqual(['sub_story']);
    expect(await subscriptions('?q=navy')).toEqual(['sub_story']);
    expect(await subscriptions('?q=cus_story')).toEqual(['sub_story']);
    expect(await subscriptions('?q=navy%20grace')).toEqual(['sub_story']);
    expect(await subscriptions('?status=active')).toEqual([]);
    expect(await subscriptions('?q=other')).toEqual([]);

    const csv = await get(server, '/subscriptions/export.csv?status=canceled').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,status,customer_id,/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        /^sub_story,canceled,[0-9a-f-]{36},cus_story,Grace Hopper,grace@navy\.example,prod_story,eur,/,
      ),
    ]);

    const bad = async (path: string, names: string) => {
      const response = await get(server, path).expect(400);
      expect(JSON.stringify(response.body.message)).toContain(names);
    };
    await bad('/subscriptions?status=alive', 'status');
    await bad('/customers?limit=0', 'limit');
    await bad('/customers?limit=abc', 'limit');
    await bad('/customers?offset=-1', 'offset');
    await bad('/customers?sort=phone', 'sort must be one of the following values: name, email, created, balance');
    await bad('/customers?order=up', 'order must be one of the following values: asc, desc');
    await bad('/customers?delinquent=yes', 'delinquent');
    await bad('/customers?subscriptionStatus=alive', 'subscriptionStatus');
    await bad('/customers/cus_story/activity?objectType=refund', 'objectType must be one of the following values');
    await bad('/customers/cus_story/activity?from=2026-02-01&to=2026-01-31', 'from (2026-02-01) must not be after to');
    await bad('/customers/cus_story/activity?from=yesterday', 'from needs an ISO 8601 date or time');
    await bad('/customers/cus_story/activity?to=2026-02-30', 'to needs an ISO 8601 date or time');
    await bad(`/customers?q=${'x'.repeat(201)}`, 'q');

    for (const path of [
      '/customers/cus_nobody',
      '/customers/6b0e3f0e-1111-4222-8333-944445555666',
      '/customers/cus_nobody/invoices',
      '/subscriptions/sub_nobody',
      '/invoices/in_nobody',
      '/payments/ch_nobody',
    ]) {
      const response = await get(server, path).expect(404);
      expect(response.body.message).toMatch(/nobody|6b0e3f0e/);
    }
    await request(server).get('/customers?q=hopper').expect(401);
    await request(server).get('/customers').set('Authorization', `Bearer ${TEST_KEYS.consumer}`).expect(403);
  }, 60_000);

  it('gives the same answers whatever order the webhooks arrive in', async () => {
    const urls = [
      '/customers/cus_story',
      '/subscriptions/sub_story',
      '/invoices/in_story',
      '/payments/ch_story',
      ...[
        'subscriptions',
        'invoices',
        'payments',
        'payment-methods',
        'addresses',
        'access',
        'activity',
        'notifications',
      ].map((tab) => `/customers/cus_story/${tab}`),
    ];
    const answers: string[] = [];
    for (const seed of [0, 7, 11]) {
      harness = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: SECRET }, true);
      const story = supportStory();
      await feed(harness, seed === 0 ? story : [...shuffle(story, seed), ...shuffle(story, seed + 1).slice(0, 5)]);
      const server = harness.app.getHttpServer();
      const bodies = await Promise.all(urls.map(async (url) => (await get(server, url).expect(200)).body));
      answers.push(JSON.stringify(bodies));
      await harness.close();
      harness = undefined;
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  }, 120_000);
});
