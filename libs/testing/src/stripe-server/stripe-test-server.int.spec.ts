import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import { encodeForm, parseForm } from './form-body';
import { startStripeServer, type StripeTestServer } from './stripe-test-server';

describe('Stripe test server', () => {
  let server: StripeTestServer;
  let stripe: Stripe;

  beforeEach(async () => {
    server = await startStripeServer();
    stripe = server.stripe();
  });

  afterEach(async () => {
    await server.close();
  });

  async function recurringPrice(unitAmount = 1500): Promise<Stripe.Price> {
    return stripe.prices.create({
      currency: 'usd',
      unit_amount: unitAmount,
      recurring: { interval: 'month' },
      product_data: { name: 'Ledgerline Pro' },
    });
  }

  describe('customers', () => {
    it('creates, updates (merging metadata), deletes, and records what the SDK sent', async () => {
      const created = await stripe.customers.create({
        email: 'ada@example.com',
        name: 'Ada',
        metadata: { ledgerline_customer_id: 'lc_1', plan: 'free' },
      });
      expect(created).toMatchObject({
        object: 'customer',
        email: 'ada@example.com',
        name: 'Ada',
        livemode: false,
        metadata: { ledgerline_customer_id: 'lc_1', plan: 'free' },
      });

      const updated = await stripe.customers.update(created.id, { name: 'Ada L.', metadata: { plan: 'pro' } });
      expect(updated.name).toBe('Ada L.');
      expect(updated.metadata).toEqual({ ledgerline_customer_id: 'lc_1', plan: 'pro' });
      const unset = await stripe.customers.update(created.id, { metadata: { plan: '' } });
      expect(unset.metadata).toEqual({ ledgerline_customer_id: 'lc_1' });

      expect(await server.countCustomers()).toBe(1);
      const deleted = await stripe.customers.del(created.id);
      expect(deleted).toMatchObject({ id: created.id, object: 'customer', deleted: true });
      expect(await stripe.customers.retrieve(created.id)).toMatchObject({ id: created.id, deleted: true });
      await expect(stripe.customers.update(created.id, { name: 'x' })).rejects.toMatchObject({
        type: 'StripeInvalidRequestError',
        statusCode: 404,
        code: 'resource_missing',
      });
      await expect(stripe.customers.del('cus_unknown')).rejects.toMatchObject({ statusCode: 404 });
      expect(await server.countCustomers()).toBe(0);
      expect((await stripe.customers.list()).data).toEqual([]);

      const [create] = server.requests({ method: 'POST', path: '/v1/customers' });
      expect(create!.params).toMatchObject({ metadata: { ledgerline_customer_id: 'lc_1' } });
      expect(create!.idempotencyKey).toMatch(/^stripe-node-retry-/);
      expect(create!.status).toBe(200);
      expect(server.requests({ method: 'DELETE', path: /^\/v1\/customers\// }).map((r) => r.status)).toEqual([
        200, 404,
      ]);
    });

    it('replays a create sent twice with one idempotency key, and refuses the key for other params', async () => {
      const params = { email: 'once@example.com', metadata: { ledgerline_customer_id: 'lc_2' } };
      const first = await stripe.customers.create(params, { idempotencyKey: 'create-lc_2' });
      const second = await stripe.customers.create(params, { idempotencyKey: 'create-lc_2' });
      expect(second.id).toBe(first.id);
      expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(await server.countCustomers()).toBe(1);

      await expect(
        stripe.customers.create({ email: 'other@example.com' }, { idempotencyKey: 'create-lc_2' }),
      ).rejects.toMatchObject({ type: 'StripeIdempotencyError', statusCode: 400 });
      await expect(stripe.products.create({ name: 'x' }, { idempotencyKey: 'create-lc_2' })).rejects.toMatchObject({
        type: 'StripeIdempotencyError',
      });

      // Keys are scoped per Stripe-Account, and so are the objects.
      const connected = await stripe.customers.create(params, {
        idempotencyKey: 'create-lc_2',
        stripeAccount: 'acct_connected',
      });
      expect(connected.id).not.toBe(first.id);
      expect(await server.countCustomers('acct_connected')).toBe(1);
      expect(await server.countCustomers()).toBe(1);

      const sent = server.requests({ method: 'POST', path: '/v1/customers' });
      expect(sent.map((r) => [r.idempotencyKey, r.replayed, r.status, r.stripeAccount])).toEqual([
        ['create-lc_2', false, 200, null],
        ['create-lc_2', true, 200, null],
        ['create-lc_2', false, 400, null],
        ['create-lc_2', false, 200, 'acct_connected'],
      ]);
    });

    it('serves concurrent requests', async () => {
      const created = await Promise.all(
        Array.from({ length: 25 }, (_, i) => stripe.customers.create({ metadata: { n: String(i) } })),
      );
      expect(new Set(created.map((c) => c.id)).size).toBe(25);
      expect(await server.countCustomers()).toBe(25);
      expect((await server.listCustomers()).map((c) => c.metadata.n).sort()).toHaveLength(25);
    });

    it('keeps the customer balance in step with balance transactions', async () => {
      const customer = await stripe.customers.create({ email: 'credit@example.com' });
      const credit = await stripe.customers.createBalanceTransaction(customer.id, {
        amount: -500,
        currency: 'usd',
        description: 'Goodwill credit',
        metadata: { ledgerline_command_id: 'cmd_1' },
      });
      expect(credit).toMatchObject({
        object: 'customer_balance_transaction',
        amount: -500,
        currency: 'usd',
        customer: customer.id,
        ending_balance: -500,
        type: 'adjustment',
        metadata: { ledgerline_command_id: 'cmd_1' },
      });
      expect(credit.id).toMatch(/^cbtxn_/);
      await stripe.customers.createBalanceTransaction(customer.id, { amount: 200, currency: 'usd' });

      const reloaded = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
      expect(reloaded.balance).toBe(-300);
      expect((await server.listCustomers())[0]!.balance).toBe(-300);
      const history = await stripe.customers.listBalanceTransactions(customer.id);
      expect(history.data.map((t) => [t.amount, t.ending_balance])).toEqual([
        [200, -300],
        [-500, -500],
      ]);
      await expect(
        stripe.customers.createBalanceTransaction('cus_missing', { amount: 1, currency: 'usd' }),
      ).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    });
  });

  describe('injected faults', () => {
    it('answers a 429 and lets the SDK retry with the same idempotency key', async () => {
      server.failNext({
        method: 'POST',
        path: '/v1/customers',
        status: 429,
        headers: { 'stripe-should-retry': 'true' },
      });
      const retrying = server.stripe(undefined, { maxNetworkRetries: 1 });
      const customer = await retrying.customers.create({ metadata: { ledgerline_customer_id: 'lc_3' } });

      const attempts = server.requests({ path: '/v1/customers' });
      expect(attempts.map((r) => [r.status, r.fault])).toEqual([
        [429, 'fail'],
        [200, null],
      ]);
      expect(attempts[0]!.idempotencyKey).toBe(attempts[1]!.idempotencyKey);
      expect(await server.countCustomers()).toBe(1);
      expect(customer.metadata.ledgerline_customer_id).toBe('lc_3');
    });

    it("answers a 409 lock_timeout and Stripe-Should-Retry as Stripe does: the SDK's own rules retry them", async () => {
      server.failNext({ method: 'POST', path: '/v1/customers', status: 409 });
      server.failNext({
        method: 'POST',
        path: '/v1/customers',
        status: 400,
        headers: { 'stripe-should-retry': 'true' },
      });
      const retrying = server.stripe(undefined, { maxNetworkRetries: 2 });
      await retrying.customers.create({ metadata: { ledgerline_customer_id: 'lc_409' } });
      const attempts = server.requests({ path: '/v1/customers' });
      expect(attempts.map((r) => [r.status, r.fault])).toEqual([
        [409, 'fail'],
        [400, 'fail'],
        [200, null],
      ]);
      expect(new Set(attempts.map((r) => r.idempotencyKey)).size).toBe(1);

      server.failNext({ status: 500, headers: { 'stripe-should-retry': 'false' } });
      await expect(retrying.customers.create({})).rejects.toMatchObject({
        statusCode: 500,
        headers: expect.objectContaining({ 'stripe-should-retry': 'false' }),
      });
      server.failNext({ status: 409 });
      // The SDK makes a StripeAPIError of any 409: only its status tells a conflict.
      await expect(stripe.customers.create({})).rejects.toMatchObject({
        type: 'StripeAPIError',
        rawType: 'invalid_request_error',
        statusCode: 409,
        code: 'lock_timeout',
      });
      expect(await server.countCustomers()).toBe(1);
    });

    it('surfaces a 429 or 503 to a client that does not retry, without touching state', async () => {
      server.failNext({ status: 429 });
      await expect(stripe.customers.create({ email: 'a@example.com' })).rejects.toMatchObject({
        type: 'StripeRateLimitError',
        statusCode: 429,
      });
      server.failNext({ path: /^\/v1\/customers/, status: 503, times: 2 });
      await expect(stripe.customers.list()).rejects.toMatchObject({ type: 'StripeAPIError', statusCode: 503 });
      await expect(stripe.customers.create({})).rejects.toMatchObject({ statusCode: 503 });
      expect(await server.countCustomers()).toBe(0);
      await stripe.customers.create({});
      expect(await server.countCustomers()).toBe(1);
    });

    it('drops connections: a StripeConnectionError once the SDK stops retrying', async () => {
      // stripe-node retries a reset connection once even with maxNetworkRetries: 0.
      server.dropNext({ method: 'POST', path: '/v1/customers', times: 2 });
      await expect(stripe.customers.create({ email: 'lost@example.com' })).rejects.toMatchObject({
        type: 'StripeConnectionError',
      });
      expect(server.requests().map((r) => [r.fault, r.status])).toEqual([
        ['drop', null],
        ['drop', null],
      ]);
      expect(await server.countCustomers()).toBe(0);
    });

    it('drops only the response when asked: the retry replays the stored result', async () => {
      server.dropNext({ method: 'POST', path: '/v1/customers', when: 'after' });
      const customer = await stripe.customers.create({ email: 'late@example.com' });
      const [lost, replay] = server.requests({ method: 'POST' });
      expect([lost!.fault, lost!.status, replay!.replayed]).toEqual(['drop', 200, true]);
      expect(await server.countCustomers()).toBe(1);
      expect((await server.listCustomers())[0]!.id).toBe(customer.id);
    });

    it('reset() forgets requests and faults but keeps objects', async () => {
      await stripe.customers.create({});
      server.failNext({ status: 500 });
      server.reset();
      expect(server.requests()).toEqual([]);
      await stripe.customers.create({});
      expect(await server.countCustomers()).toBe(2);
    });
  });

  describe('subscriptions', () => {
    it('creates, updates metadata, schedules cancellation at period end, then cancels now', async () => {
      const price = await recurringPrice();
      const customer = await stripe.customers.create({ source: 'tok_visa' });
      const sub = await stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price.id, quantity: 2 }],
        metadata: { ledgerline_subscription_id: 'ls_1' },
      });
      expect(sub).toMatchObject({ object: 'subscription', status: 'active', customer: customer.id, currency: 'usd' });
      expect(sub.items.data[0]).toMatchObject({ price: { id: price.id }, quantity: 2 });
      const [item] = sub.items.data;
      expect(item!.current_period_end).toBeGreaterThan(item!.current_period_start);
      expect(server.requests({ method: 'POST', path: '/v1/subscriptions' })[0]!.params).toMatchObject({
        items: [{ price: price.id, quantity: '2' }],
        metadata: { ledgerline_subscription_id: 'ls_1' },
      });

      const tagged = await stripe.subscriptions.update(sub.id, { metadata: { tier: 'gold' } });
      expect(tagged.metadata).toEqual({ ledgerline_subscription_id: 'ls_1', tier: 'gold' });

      const ending = await stripe.subscriptions.update(sub.id, {
        cancel_at_period_end: true,
        proration_behavior: 'none',
      });
      expect(ending).toMatchObject({
        status: 'active',
        cancel_at_period_end: true,
        cancel_at: item!.current_period_end,
      });
      expect(ending.canceled_at).toEqual(expect.any(Number));

      const canceled = await stripe.subscriptions.cancel(sub.id, {
        prorate: false,
        invoice_now: false,
        cancellation_details: { comment: 'customer asked' },
      });
      expect(canceled).toMatchObject({ status: 'canceled', cancellation_details: { comment: 'customer asked' } });
      expect(canceled.ended_at).toEqual(expect.any(Number));
      expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('canceled');
      await expect(stripe.subscriptions.cancel(sub.id)).rejects.toMatchObject({ statusCode: 404 });
      await expect(stripe.subscriptions.update(sub.id, { cancel_at_period_end: false })).rejects.toMatchObject({
        statusCode: 400,
      });
      expect((await stripe.subscriptions.list({ customer: customer.id })).data).toEqual([]);
      expect((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toHaveLength(1);
      expect(server.requests({ method: 'DELETE' })[0]!.params).toMatchObject({
        cancellation_details: { comment: 'customer asked' },
      });
    });

    it('replays a create as it was answered, even after the subscription changed', async () => {
      const price = await recurringPrice();
      const customer = await stripe.customers.create({ source: 'tok_visa' });
      const params = { customer: customer.id, items: [{ price: price.id }] };
      const created = await stripe.subscriptions.create(params, { idempotencyKey: 'sub-1' });
      await stripe.subscriptions.cancel(created.id);
      const replayed = await stripe.subscriptions.create(params, { idempotencyKey: 'sub-1' });
      expect([replayed.id, replayed.status]).toEqual([created.id, 'active']);
      expect((await stripe.subscriptions.list({ status: 'all' })).data).toHaveLength(1);
    });

    it('handles trials, invoicing, items, discounts, and a customer with no payment method', async () => {
      const price = await recurringPrice();
      const customer = await stripe.customers.create({ email: 'trial@example.com' });
      await expect(
        stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] }),
      ).rejects.toMatchObject({ statusCode: 400, code: 'resource_missing' });

      const coupon = await stripe.coupons.create({ percent_off: 20, duration: 'forever' });
      const trial = await stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price.id }],
        trial_period_days: 14,
        discounts: [{ coupon: coupon.id }],
      });
      expect(trial.status).toBe('trialing');
      expect(trial.trial_end! - trial.trial_start!).toBe(14 * 86400);
      expect(trial.discounts).toEqual([expect.stringMatching(/^di_/)]);

      const invoiced = await stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price.id }],
        collection_method: 'send_invoice',
        days_until_due: 30,
      });
      expect(invoiced).toMatchObject({ status: 'active', collection_method: 'send_invoice', days_until_due: 30 });

      const other = await recurringPrice(3000);
      const changed = await stripe.subscriptions.update(trial.id, {
        trial_end: 'now',
        items: [{ id: trial.items.data[0]!.id, price: other.id }],
        collection_method: 'send_invoice',
        days_until_due: 7,
      });
      expect(changed).toMatchObject({ status: 'active', collection_method: 'send_invoice', days_until_due: 7 });
      expect(changed.items.data.map((i) => i.price.id)).toEqual([other.id]);
    });
  });

  describe('payments', () => {
    it('confirms a PaymentIntent with pm_card_visa and declines pm_card_chargeDeclined', async () => {
      const customer = await stripe.customers.create({ email: 'pay@example.com' });
      const paid = await stripe.paymentIntents.create({
        customer: customer.id,
        amount: 2500,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        off_session: true,
        confirm: true,
        metadata: { ledgerline_command_id: 'cmd_pay' },
      });
      expect(paid).toMatchObject({
        object: 'payment_intent',
        status: 'succeeded',
        amount: 2500,
        amount_received: 2500,
        customer: customer.id,
        metadata: { ledgerline_command_id: 'cmd_pay' },
      });
      const charge = await stripe.charges.retrieve(paid.latest_charge as string);
      expect(charge).toMatchObject({
        amount: 2500,
        payment_intent: paid.id,
        customer: customer.id,
        status: 'succeeded',
      });
      expect((await stripe.paymentIntents.retrieve(paid.id)).status).toBe('succeeded');

      const declined = stripe.paymentIntents.create({
        customer: customer.id,
        amount: 2500,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
      });
      await expect(declined).rejects.toMatchObject({
        type: 'StripeCardError',
        statusCode: 402,
        code: 'card_declined',
        decline_code: 'generic_decline',
        payment_intent: { status: 'requires_payment_method' },
      });

      await expect(
        stripe.paymentIntents.create({ customer: customer.id, amount: 2500, currency: 'usd', confirm: true }),
      ).rejects.toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    });

    it('refunds a charge and a PaymentIntent', async () => {
      const charge = await stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa' });
      const refund = await stripe.refunds.create({ charge: charge.id, amount: 500 });
      expect(refund).toMatchObject({ object: 'refund', amount: 500, charge: charge.id, status: 'succeeded' });
      expect((await stripe.charges.retrieve(charge.id)).amount_refunded).toBe(500);

      const intent = await stripe.paymentIntents.create({
        amount: 1200,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
      });
      const full = await stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: 'refund-1' });
      expect(full).toMatchObject({ amount: 1200, payment_intent: intent.id, charge: intent.latest_charge });
      expect((await stripe.refunds.list({ payment_intent: intent.id })).data.map((r) => r.id)).toEqual([full.id]);
      expect(server.requests({ method: 'POST', path: '/v1/refunds' }).map((r) => r.idempotencyKey)).toContain(
        'refund-1',
      );
    });

    it('answers endpoints it does not implement with a 404 naming the path', async () => {
      await expect(stripe.invoices.create({ customer: 'cus_x' })).rejects.toMatchObject({
        statusCode: 404,
        message: expect.stringContaining('/v1/invoices'),
      });
      await expect(stripe.customers.search({ query: "email:'a@b.c'" })).rejects.toMatchObject({
        statusCode: 404,
        message: expect.stringContaining('GET: /v1/customers/search'),
      });
    });
  });
});

describe('form bodies', () => {
  it('parses bracket syntax into nested objects and arrays, and encodes it back', () => {
    const text = 'metadata[key]=v+1&items[0][price]=p&items[1][price]=q&expand[]=a&expand[]=b&email=a%40b.c';
    const parsed = parseForm(text);
    expect(parsed).toEqual({
      metadata: { key: 'v 1' },
      items: [{ price: 'p' }, { price: 'q' }],
      expand: ['a', 'b'],
      email: 'a@b.c',
    });
    expect(parseForm(encodeForm(parsed))).toEqual(parsed);
    expect(parseForm('__proto__[x]=1&a[constructor]=2')).toEqual({});
  });
});
