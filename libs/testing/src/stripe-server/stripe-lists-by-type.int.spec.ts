import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import { loadObjectFixture } from '../stripe-fixtures';
import { fixtureCopies } from './fixture-copies';
import { startStripeServer, type StripeTestServer } from './stripe-test-server';

type Options = Stripe.RequestOptions;
type Lister = (stripe: Stripe, options?: Options) => AsyncIterable<{ id: string }>;
type Retriever = (stripe: Stripe, id: string, options?: Options) => Promise<{ id: string }>;

// Every list a backfill reads, with a small limit so that paging is exercised.
const TYPES: [string, Lister, Retriever][] = [
  ['customer', (s, o) => s.customers.list({ limit: 2 }, o), (s, id, o) => s.customers.retrieve(id, {}, o)],
  ['product', (s, o) => s.products.list({ limit: 2 }, o), (s, id, o) => s.products.retrieve(id, {}, o)],
  ['price', (s, o) => s.prices.list({ limit: 2 }, o), (s, id, o) => s.prices.retrieve(id, {}, o)],
  ['plan', (s, o) => s.plans.list({ limit: 2 }, o), (s, id, o) => s.plans.retrieve(id, {}, o)],
  ['coupon', (s, o) => s.coupons.list({ limit: 2 }, o), (s, id, o) => s.coupons.retrieve(id, {}, o)],
  [
    'subscription',
    (s, o) => s.subscriptions.list({ limit: 2, status: 'all' }, o),
    (s, id, o) => s.subscriptions.retrieve(id, {}, o),
  ],
  ['invoice', (s, o) => s.invoices.list({ limit: 2 }, o), (s, id, o) => s.invoices.retrieve(id, {}, o)],
  ['charge', (s, o) => s.charges.list({ limit: 2 }, o), (s, id, o) => s.charges.retrieve(id, {}, o)],
  ['refund', (s, o) => s.refunds.list({ limit: 2 }, o), (s, id, o) => s.refunds.retrieve(id, {}, o)],
  ['dispute', (s, o) => s.disputes.list({ limit: 2 }, o), (s, id, o) => s.disputes.retrieve(id, {}, o)],
  [
    'payment_method',
    (s, o) => s.paymentMethods.list({ limit: 2 }, o),
    (s, id, o) => s.paymentMethods.retrieve(id, {}, o),
  ],
  [
    'balance_transaction',
    (s, o) => s.balanceTransactions.list({ limit: 2 }, o),
    (s, id, o) => s.balanceTransactions.retrieve(id, {}, o),
  ],
];

async function ids(list: AsyncIterable<{ id: string }>): Promise<string[]> {
  const found: string[] = [];
  for await (const item of list) found.push(item.id);
  return found;
}

describe('Stripe test server: every backfilled list', () => {
  let server: StripeTestServer;
  let stripe: Stripe;

  beforeEach(async () => {
    server = await startStripeServer();
    stripe = server.stripe();
  });

  afterEach(async () => {
    await server.close();
  });

  it.each(TYPES)('lists and retrieves seeded %s objects of one Stripe-Account only', async (type, list, retrieve) => {
    const seeded = fixtureCopies(type, 5);
    server.seedObjects(seeded, 'acct_A');
    const acctA = { stripeAccount: 'acct_A' };
    expect(await ids(list(stripe, acctA))).toEqual(seeded.map((o) => o.id));
    // Through JSON: the SDK turns decimal strings into Decimal objects that print back the same.
    const retrieved = await retrieve(stripe, seeded[2]!.id as string, acctA);
    expect(JSON.parse(JSON.stringify(retrieved))).toEqual(seeded[2]);

    expect(await ids(list(stripe))).toEqual([]);
    expect(await ids(list(stripe, { stripeAccount: 'acct_B' }))).toEqual([]);
    await expect(retrieve(stripe, seeded[2]!.id as string)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('merges what was made through the API with seeded objects of every mock-held type', async () => {
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 900, product_data: { name: 'Made' } });
    const plan = await stripe.plans.create({
      currency: 'usd',
      amount: 500,
      interval: 'month',
      product: price.product as string,
    });
    const charge = await stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa' });
    const refund = await stripe.refunds.create({ charge: charge.id, amount: 300 });
    const coupon = await stripe.coupons.create({ percent_off: 10, duration: 'once' });
    server.addBalanceTransactions([{ id: 'txn_ledger', created: 1_600_000_000, type: 'charge', amount: 1 }]);
    for (const type of ['product', 'price', 'plan', 'charge', 'refund', 'coupon', 'balance_transaction']) {
      server.seedObjects(fixtureCopies(type, 1));
    }
    const made = { product: price.product, price: price.id, plan: plan.id, charge: charge.id, refund: refund.id };
    const lists = {
      product: stripe.products.list(),
      price: stripe.prices.list(),
      plan: stripe.plans.list(),
      charge: stripe.charges.list(),
      refund: stripe.refunds.list(),
    };
    for (const [type, id] of Object.entries(made)) {
      // Made now, so listed before the seeded fixture copy.
      const found = await ids(lists[type as keyof typeof lists]);
      expect([type, found.length, found[0]]).toEqual([type, 2, id]);
    }
    expect((await stripe.coupons.list()).data.map((c) => c.id)).toEqual([coupon.id, expect.any(String)]);
    expect((await stripe.balanceTransactions.list()).data.map((t) => t.id)).toEqual([
      'txn_ledger',
      expect.stringMatching(/^txn_/),
    ]);
    expect((await stripe.balanceTransactions.retrieve('txn_ledger')).amount).toBe(1);
  });

  it('filters as Stripe does: active products, a customer, a charge', async () => {
    const [active, inactive] = fixtureCopies('product', 2, (i) => ({ active: i === 0 }));
    const invoices = fixtureCopies('invoice', 4, (i) => ({ customer: i % 2 ? 'cus_odd' : 'cus_even' }));
    const charges = fixtureCopies('charge', 3, (i) => ({ customer: i ? 'cus_odd' : null }));
    const refunds = fixtureCopies('refund', 3, (i) => ({ charge: charges[i % 2]!.id }));
    server.seedObjects([active!, inactive!, ...invoices, ...charges, ...refunds]);
    expect((await stripe.products.list({ active: false })).data.map((p) => p.id)).toEqual([inactive!.id]);
    expect((await stripe.products.list({ active: true })).data.map((p) => p.id)).toEqual([active!.id]);
    expect(await ids(stripe.invoices.list({ customer: 'cus_odd', limit: 1 }))).toEqual([
      invoices[1]!.id,
      invoices[3]!.id,
    ]);
    expect(await ids(stripe.charges.list({ customer: 'cus_odd' }))).toEqual([charges[1]!.id, charges[2]!.id]);
    expect(await ids(stripe.refunds.list({ charge: charges[0]!.id as string }))).toEqual([
      refunds[0]!.id,
      refunds[2]!.id,
    ]);
  });

  it('lists subscriptions that have not ended by default, and every one with status=all', async () => {
    const statuses = ['active', 'trialing', 'past_due', 'canceled', 'incomplete_expired', 'unpaid'];
    const seeded = fixtureCopies('subscription', statuses.length, (i) => ({ status: statuses[i] }));
    server.seedObjects(seeded);
    const price = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 1500,
      recurring: { interval: 'month' },
      product_data: { name: 'Pro' },
    });
    const customer = await stripe.customers.create({ source: 'tok_visa' });
    const made = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const ended = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    await stripe.subscriptions.cancel(ended.id);

    const statusOf = async (params: Stripe.SubscriptionListParams) =>
      (await stripe.subscriptions.list({ limit: 100, ...params })).data.map((s) => s.status).sort();
    expect(await statusOf({})).toEqual(['active', 'active', 'past_due', 'trialing', 'unpaid']);
    expect(await statusOf({ status: 'all' })).toEqual([...statuses, 'active', 'canceled'].sort());
    expect(await statusOf({ status: 'canceled' })).toEqual(['canceled', 'canceled']);
    expect(await statusOf({ status: 'ended' })).toEqual(['canceled', 'canceled', 'incomplete_expired']);
    const mine = await stripe.subscriptions.list({ customer: customer.id, status: 'all' });
    expect(mine.data.map((s) => s.id).sort()).toEqual([made.id, ended.id].sort());
    const fixturePrice = (loadObjectFixture('price') as { id: string }).id;
    expect((await stripe.subscriptions.list({ price: fixturePrice })).data).toHaveLength(4);
    expect((await stripe.subscriptions.list({ price: price.id })).data.map((s) => s.id)).toEqual([made.id]);
  });

  it('lists payment methods per customer, seeded or made through the API', async () => {
    const [seededCustomer] = fixtureCopies('customer', 1);
    const made = await stripe.customers.create({ email: 'pm@example.com' });
    const owners = [seededCustomer!.id, seededCustomer!.id, seededCustomer!.id, made.id];
    const methods = fixtureCopies('payment_method', 4, (i) => ({
      customer: owners[i],
      type: i === 1 ? 'sepa_debit' : 'card',
    }));
    server.seedObjects([seededCustomer!, ...methods]);

    const of = seededCustomer!.id as string;
    expect(await ids(stripe.customers.listPaymentMethods(of, { limit: 2 }))).toEqual(
      methods.slice(0, 3).map((m) => m.id),
    );
    const cards = await stripe.customers.listPaymentMethods(of, { type: 'card' });
    expect([cards.url, cards.data.map((m) => m.id)]).toEqual([
      `/v1/customers/${of}/payment_methods`,
      [methods[0]!.id, methods[2]!.id],
    ]);
    expect((await stripe.paymentMethods.list({ customer: made.id })).data.map((m) => m.id)).toEqual([methods[3]!.id]);
    await expect(stripe.customers.listPaymentMethods('cus_missing')).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });
});
