import type { FormParams } from './form-body';
import { listObjects } from './list-query';
import { callMock, requireCustomer, route, type Route, type RouteContext } from './routing';
import { patchObject } from './state';
import {
  int,
  isError,
  mergeMetadata,
  missingParam,
  newId,
  nowSeconds,
  obj,
  ok,
  resourceMissing,
  str,
  type StripeObject,
  type StripeReply,
} from './stripe-objects';
import { cancelNow } from './subscription-model';

// stripe-stateful-mock drops these on create but stores them on update.
const SET_AFTER_CREATE = ['name', 'phone', 'invoice_settings'];

/**
 * Customers live in the mock; this layer adds deletion, Stripe's metadata merge, the fields the
 * mock forgets on create, and the customer balance with its transactions.
 */
export const customerRoutes: Route[] = [
  route('POST', '/v1/customers', async (ctx) => {
    const created = await callMock(ctx, 'POST', '/v1/customers', ctx.params);
    if (isError(created)) return created;
    const customer = created.body as StripeObject;
    const late = Object.fromEntries(Object.entries(ctx.params).filter(([key]) => SET_AFTER_CREATE.includes(key)));
    if (Object.keys(late).length === 0) return created;
    if (late.invoice_settings !== undefined) {
      late.invoice_settings = { ...(customer.invoice_settings as FormParams), ...obj(late.invoice_settings) };
    }
    const expand = ctx.params.expand;
    return callMock(ctx, 'POST', customerPath(customer.id), { ...late, ...(expand ? { expand } : {}) });
  }),
  route('GET', '/v1/customers/:id', async (ctx) => {
    const id = ctx.ids[0]!;
    // Stripe keeps answering for a deleted customer, with a stub.
    if (ctx.state.deletedCustomers.has(id)) return ok({ id, object: 'customer', deleted: true });
    return notFoundAsStripe(await callMock(ctx, 'GET', customerPath(id), ctx.params), id);
  }),
  route('POST', '/v1/customers/:id', updateCustomer),
  route('DELETE', '/v1/customers/:id', async (ctx) => {
    const customer = await requireCustomer(ctx, ctx.ids[0]!, 'id');
    ctx.state.deletedCustomers.add(customer.id);
    // Deleting a customer cancels its subscriptions at once, as in Stripe.
    for (const sub of ctx.state.subscriptions.values()) {
      if (sub.customer === customer.id && sub.status !== 'canceled') cancelNow(sub);
    }
    return ok({ id: customer.id, object: 'customer', deleted: true });
  }),
  route('POST', '/v1/customers/:id/balance_transactions', async (ctx) => {
    const { params, state } = ctx;
    const amount = int(params.amount);
    if (amount === undefined) return missingParam('amount');
    const currency = str(params.currency)?.toLowerCase();
    if (!currency) return missingParam('currency');
    const customer = await requireCustomer(ctx, ctx.ids[0]!, 'customer');
    const endingBalance = Number(customer.balance ?? 0) + amount;
    const transaction: StripeObject = {
      id: newId('cbtxn'),
      object: 'customer_balance_transaction',
      amount,
      checkout_session: null,
      created: nowSeconds(),
      credit_note: null,
      currency,
      customer: customer.id,
      customer_account: null,
      description: str(params.description) ?? null,
      ending_balance: endingBalance,
      invoice: null,
      livemode: false,
      metadata: mergeMetadata({}, params.metadata),
      type: 'adjustment',
    };
    state.balanceTransactions.push(transaction);
    patchObject(state, customer.id, { balance: endingBalance, currency: customer.currency ?? currency });
    return ok(transaction);
  }),
  route('GET', '/v1/customers/:id/balance_transactions', async (ctx) => {
    const customer = await requireCustomer(ctx, ctx.ids[0]!, 'customer');
    const own = ctx.state.balanceTransactions.filter((txn) => txn.customer === customer.id).reverse();
    const url = `/v1/customers/${customer.id}/balance_transactions`;
    return listObjects(url, own, ctx.params, { noun: 'customer balance transaction', ordered: true });
  }),
  route('GET', '/v1/customers/:id/balance_transactions/:txn', async (ctx) => {
    const [customerId, txnId] = ctx.ids as [string, string];
    const txn = ctx.state.balanceTransactions.find((t) => t.id === txnId && t.customer === customerId);
    return txn ? ok(txn) : resourceMissing('customer balance transaction', txnId, 'transaction');
  }),
];

async function updateCustomer(ctx: RouteContext): Promise<StripeReply> {
  const id = ctx.ids[0]!;
  const current = await requireCustomer(ctx, id, 'id');
  const params: FormParams = { ...ctx.params };
  if (params.metadata !== undefined) {
    const merged = mergeMetadata(current.metadata, params.metadata);
    // An empty object would not survive form encoding; `metadata=` is how the mock clears it too.
    params.metadata = Object.keys(merged).length ? merged : '';
  }
  if (params.invoice_settings !== undefined) {
    params.invoice_settings = { ...(current.invoice_settings as FormParams), ...obj(params.invoice_settings) };
  }
  // The mock ignores `balance`; setting it directly is kept as an overlay.
  const balance = int(params.balance);
  delete params.balance;
  const reply = notFoundAsStripe(await callMock(ctx, 'POST', customerPath(id), params), id);
  if (balance === undefined || isError(reply)) return reply;
  patchObject(ctx.state, id, { balance });
  return ok({ ...(reply.body as StripeObject), balance });
}

function customerPath(id: string): string {
  return `/v1/customers/${encodeURIComponent(id)}`;
}

function notFoundAsStripe(reply: StripeReply, id: string): StripeReply {
  return reply.status === 404 ? resourceMissing('customer', id, 'id') : reply;
}
