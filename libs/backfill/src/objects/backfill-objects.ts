import type Stripe from 'stripe';

/** A Stripe object as a list returns it: only what the backfill itself reads is typed. */
export interface ListedObject {
  id: string;
  object: string;
  created?: number;
  [field: string]: unknown;
}

export interface ListPage {
  data: ListedObject[];
  has_more: boolean;
}

export interface ListParams {
  limit: number;
  starting_after?: string;
  created?: { gte: number };
}

export type ListCall = (stripe: Stripe, params: ListParams, options: Stripe.RequestOptions) => Promise<ListPage>;

export interface BackfillObjectType {
  /** As `--objects` names it: `customers`, `balance_transactions`, ... */
  name: BackfillObjectName;
  /** Stripe's `object` value of what the list returns. */
  object: string;
  /** Lists with Stripe's `created` filter; payment methods are listed per customer instead. */
  list: ListCall | null;
}

export const BACKFILL_OBJECT_NAMES = [
  'customers',
  'products',
  'prices',
  'plans',
  'coupons',
  'subscriptions',
  'invoices',
  'charges',
  'refunds',
  'disputes',
  'payment_methods',
  'balance_transactions',
] as const;
export type BackfillObjectName = (typeof BACKFILL_OBJECT_NAMES)[number];

const page = (list: Promise<Stripe.ApiList<unknown>>): Promise<ListPage> => list as unknown as Promise<ListPage>;

/**
 * Every type a backfill imports, in dependency order: customers, then the catalogue, then what
 * refers to both (subscriptions), then invoices, then money, then what the money left in the balance.
 * Read models accept any order, but this order lets a partial import (stopped midway) show whole
 * customers before their subscriptions and invoices, never the reverse.
 */
export const BACKFILL_OBJECTS: readonly BackfillObjectType[] = [
  { name: 'customers', object: 'customer', list: (s, p, o) => page(s.customers.list(p, o)) },
  { name: 'products', object: 'product', list: (s, p, o) => page(s.products.list(p, o)) },
  { name: 'prices', object: 'price', list: (s, p, o) => page(s.prices.list(p, o)) },
  { name: 'plans', object: 'plan', list: (s, p, o) => page(s.plans.list(p, o)) },
  { name: 'coupons', object: 'coupon', list: (s, p, o) => page(s.coupons.list(p, o)) },
  {
    name: 'subscriptions',
    object: 'subscription',
    // Stripe leaves cancelled subscriptions out unless asked: history needs them too.
    list: (s, p, o) => page(s.subscriptions.list({ ...p, status: 'all' }, o)),
  },
  { name: 'invoices', object: 'invoice', list: (s, p, o) => page(s.invoices.list(p, o)) },
  { name: 'charges', object: 'charge', list: (s, p, o) => page(s.charges.list(p, o)) },
  { name: 'refunds', object: 'refund', list: (s, p, o) => page(s.refunds.list(p, o)) },
  {
    name: 'disputes',
    object: 'dispute',
    list: (s, p, o) => page(s.disputes.list(p, o)),
  },
  { name: 'payment_methods', object: 'payment_method', list: null },
  {
    name: 'balance_transactions',
    object: 'balance_transaction',
    list: (s, p, o) => page(s.balanceTransactions.list(p, o)),
  },
];

export function backfillObject(name: BackfillObjectName): BackfillObjectType {
  return BACKFILL_OBJECTS.find((type) => type.name === name)!;
}

/**
 * `customers,invoices` → the named types in dependency order (whatever order they were given in);
 * throws naming the unknown ones. Empty or absent: every type.
 */
export function parseBackfillObjects(names: readonly string[] | undefined): BackfillObjectName[] {
  const wanted = (names ?? []).map((name) => name.trim()).filter((name) => name !== '');
  const unknown = wanted.filter((name) => !(BACKFILL_OBJECT_NAMES as readonly string[]).includes(name));
  if (unknown.length) {
    throw new RangeError(
      `unknown object type${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}: expected some of ${BACKFILL_OBJECT_NAMES.join(', ')}`,
    );
  }
  return BACKFILL_OBJECT_NAMES.filter((name) => wanted.length === 0 || wanted.includes(name));
}
