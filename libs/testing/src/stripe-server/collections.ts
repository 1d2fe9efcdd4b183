import type { FormParams } from './form-body';
import { idOf, type ListSpec } from './list-query';
import { callMock, type RouteContext } from './routing';
import { seededOf } from './state';
import { isError, list, Refusal, str, type StripeObject } from './stripe-objects';
import { expand } from './subscription-model';

/** One of Stripe's list endpoints, over seeded objects and what this server otherwise holds. */
export interface Collection extends ListSpec {
  path: string;
  /** Stripe's `object` of the items, which seeded objects are filed under. */
  object: string;
  /** Objects this server holds apart from the seeded ones: the mock's, or our own routes'. */
  known?: (ctx: RouteContext) => Promise<StripeObject[]> | StripeObject[];
  /** Connected accounts belong to the platform: listed without a Stripe-Account header only. */
  platformOnly?: boolean;
}

// Stripe's default subscription list leaves these out; `status=ended` asks for them.
const ENDED = new Set(['canceled', 'incomplete_expired']);

function subscriptionMatches(sub: StripeObject, params: FormParams): boolean {
  const status = str(params.status);
  const ended = ENDED.has(String(sub.status));
  const statusMatches = status === 'all' || (status === 'ended' ? ended : status ? sub.status === status : !ended);
  const price = str(params.price);
  const items = (sub.items as { data?: StripeObject[] } | undefined)?.data ?? [];
  return statusMatches && (!price || items.some((item) => idOf(item.price) === price || idOf(item.plan) === price));
}

const fromMock =
  (path: string) =>
  (ctx: RouteContext): Promise<StripeObject[]> =>
    mockObjects(ctx, path);

export const CUSTOMERS: Collection = {
  path: '/v1/customers',
  object: 'customer',
  noun: 'customer',
  fields: ['email', 'test_clock'],
  known: async (ctx) =>
    (await mockObjects(ctx, '/v1/customers')).filter((customer) => !ctx.state.deletedCustomers.has(customer.id)),
};

export const PAYMENT_METHODS: Collection = {
  path: '/v1/payment_methods',
  object: 'payment_method',
  noun: 'PaymentMethod',
  fields: ['customer', 'type'],
};

export const COLLECTIONS: Collection[] = [
  CUSTOMERS,
  PAYMENT_METHODS,
  {
    path: '/v1/products',
    object: 'product',
    noun: 'product',
    fields: ['active', 'shippable', 'type'],
    match: (product, params) => params.ids === undefined || list(params.ids).includes(product.id),
    known: fromMock('/v1/products'),
  },
  {
    path: '/v1/prices',
    object: 'price',
    noun: 'price',
    fields: ['active', 'currency', 'product', 'type'],
    known: fromMock('/v1/prices'),
  },
  { path: '/v1/plans', object: 'plan', noun: 'plan', fields: ['active', 'product'], known: fromMock('/v1/plans') },
  { path: '/v1/coupons', object: 'coupon', noun: 'coupon', known: (ctx) => [...ctx.state.coupons.values()] },
  {
    path: '/v1/subscriptions',
    object: 'subscription',
    noun: 'subscription',
    fields: ['customer', 'collection_method', 'test_clock'],
    match: subscriptionMatches,
    known: (ctx) => [...ctx.state.subscriptions.values()].map((sub) => expand(ctx.state, sub, ctx.params)),
  },
  {
    path: '/v1/invoices',
    object: 'invoice',
    noun: 'invoice',
    fields: ['customer', 'status', 'subscription', 'collection_method'],
  },
  {
    path: '/v1/charges',
    object: 'charge',
    noun: 'charge',
    fields: ['customer', 'payment_intent', 'transfer_group'],
    known: fromMock('/v1/charges'),
  },
  {
    path: '/v1/refunds',
    object: 'refund',
    noun: 'refund',
    fields: ['charge', 'payment_intent'],
    known: fromMock('/v1/refunds'),
  },
  { path: '/v1/disputes', object: 'dispute', noun: 'dispute', fields: ['charge', 'payment_intent'] },
  {
    path: '/v1/balance_transactions',
    object: 'balance_transaction',
    noun: 'balance transaction',
    fields: ['type', 'source', 'currency', 'payout'],
    known: (ctx) => ctx.state.balanceLedger,
  },
  { path: '/v1/accounts', object: 'account', noun: 'account', platformOnly: true },
  {
    path: '/v1/webhook_endpoints',
    object: 'webhook_endpoint',
    noun: 'webhook endpoint',
    known: (ctx) => [...ctx.state.webhookEndpoints.values()],
  },
];

/** Everything of a collection the account holds; a seeded object replaces a known one of its id. */
export async function allObjects(collection: Collection, ctx: RouteContext): Promise<StripeObject[]> {
  const state = collection.platformOnly ? ctx.server.forAccount(null) : ctx.state;
  const byId = new Map<string, StripeObject>();
  for (const item of (await collection.known?.(ctx)) ?? []) byId.set(item.id, item);
  for (const item of seededOf(state, collection.object)) byId.set(item.id, item);
  return [...byId.values()];
}

/** Every page of one of the mock's lists, with this layer's patches laid over. */
async function mockObjects(ctx: RouteContext, path: string): Promise<StripeObject[]> {
  const all: StripeObject[] = [];
  for (;;) {
    const after: FormParams = all.length ? { starting_after: all[all.length - 1]!.id } : {};
    const reply = await callMock(ctx, 'GET', path, { limit: '100', ...after });
    if (isError(reply)) throw new Refusal(reply);
    const page = reply.body as { data: StripeObject[]; has_more: boolean };
    all.push(...page.data);
    if (!page.has_more || page.data.length === 0) return all;
  }
}
