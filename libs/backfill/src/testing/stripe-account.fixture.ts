import { loadObjectFixture } from '@ledgerline/testing';

type StripeJson = Record<string, unknown>;

export interface StripeAccountShape {
  customers: number;
  products: number;
  /** One price per product at least; the rest spread over the products. */
  prices: number;
  plans: number;
  coupons: number;
  subscriptions: number;
  invoices: number;
  charges: number;
  refunds: number;
  disputes: number;
  paymentMethods: number;
  balanceTransactions: number;
}

export const SMALL_ACCOUNT: StripeAccountShape = {
  customers: 110,
  products: 4,
  prices: 8,
  plans: 3,
  coupons: 3,
  subscriptions: 45,
  invoices: 30,
  charges: 30,
  refunds: 5,
  disputes: 3,
  paymentMethods: 25,
  balanceTransactions: 30,
};

export function countOf(shape: StripeAccountShape): number {
  return Object.values(shape).reduce((sum, n) => sum + n, 0);
}

/**
 * An existing Stripe account's objects, made from the real openapi fixture payloads with fresh ids
 * that refer to one another (a subscription's customer and price exist, a refund's charge exists),
 * created one after another over the year before `now`, oldest first. `tag` keeps two accounts' ids apart.
 */
export function stripeAccountObjects(
  shape: StripeAccountShape,
  tag: string,
  now = Math.floor(Date.now() / 1000),
): StripeJson[] {
  const total = countOf(shape);
  let created = now - 365 * 86_400;
  const step = Math.floor((365 * 86_400) / (total + 1));
  const make = (resource: string, prefix: string, i: number, fields: StripeJson = {}): StripeJson => {
    created += step;
    return {
      ...loadObjectFixture(resource),
      id: `${prefix}_${tag}${String(i).padStart(5, '0')}`,
      created,
      livemode: false,
      ...fields,
    };
  };
  const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
  const customers = times(shape.customers, (i) =>
    make('customer', 'cus', i, {
      email: `customer${i}@${tag}.example`,
      name: `Customer ${i} ${tag}`,
      balance: 0,
      currency: 'eur',
    }),
  );
  const products = times(shape.products, (i) =>
    make('product', 'prod', i, { name: `Product ${i}`, active: true, default_price: null }),
  );
  const prices = times(shape.prices, (i) =>
    make('price', 'price', i, {
      product: products[i % products.length]!.id,
      unit_amount: 1000 + i * 100,
      currency: 'eur',
    }),
  );
  const plans = times(shape.plans, (i) =>
    make('plan', 'plan', i, { product: products[i % products.length]!.id, currency: 'eur' }),
  );
  const coupons = times(shape.coupons, (i) => make('coupon', 'coupon', i, { percent_off: 10 + i, amount_off: null }));
  const subscriptions = times(shape.subscriptions, (i) => subscription(make, i, customers, prices));
  const invoices = times(shape.invoices, (i) =>
    make('invoice', 'in', i, {
      customer: customers[i % customers.length]!.id,
      subscription: null,
      status: 'paid',
      currency: 'eur',
    }),
  );
  const charges = times(shape.charges, (i) =>
    make('charge', 'ch', i, {
      customer: customers[i % customers.length]!.id,
      invoice: null,
      payment_intent: null,
      currency: 'eur',
      refunds: null,
    }),
  );
  const refunds = times(shape.refunds, (i) =>
    make('refund', 're', i, { charge: charges[i % charges.length]!.id, currency: 'eur' }),
  );
  const disputes = times(shape.disputes, (i) =>
    make('dispute', 'dp', i, { charge: charges[i % charges.length]!.id, currency: 'eur' }),
  );
  const paymentMethods = times(shape.paymentMethods, (i) =>
    make('payment_method', 'pm', i, { customer: customers[i % customers.length]!.id, customer_account: null }),
  );
  const balanceTransactions = times(shape.balanceTransactions, (i) =>
    make('balance_transaction', 'txn', i, { source: charges[i % charges.length]!.id, currency: 'eur' }),
  );
  return [
    ...customers,
    ...products,
    ...prices,
    ...plans,
    ...coupons,
    ...subscriptions,
    ...invoices,
    ...charges,
    ...refunds,
    ...disputes,
    ...paymentMethods,
    ...balanceTransactions,
  ];
}

function subscription(
  make: (resource: string, prefix: string, i: number, fields?: StripeJson) => StripeJson,
  i: number,
  customers: StripeJson[],
  prices: StripeJson[],
): StripeJson {
  // A mix of statuses: most active, some trialing, past due and cancelled.
  const status = ['active', 'active', 'trialing', 'past_due', 'canceled'][i % 5];
  const sub = make('subscription', 'sub', i, {
    customer: customers[i % customers.length]!.id,
    status,
    latest_invoice: null,
  });
  const items = sub.items as { data: StripeJson[] };
  const item = {
    ...items.data[0],
    id: `si_${String(sub.id).slice(4)}`,
    subscription: sub.id,
    price: prices[i % prices.length],
    plan: null,
  };
  return { ...sub, items: { ...items, data: [item] } };
}
