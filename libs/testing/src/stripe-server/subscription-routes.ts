import { buildDiscounts } from './coupon-routes';
import { requireCustomer, route, type Route, type RouteContext } from './routing';
import { patchObject } from './state';
import {
  bool,
  int,
  invalidRequest,
  list,
  mergeMetadata,
  missingParam,
  newId,
  nowSeconds,
  obj,
  ok,
  Refusal,
  resourceMissing,
  str,
  type StripeObject,
} from './stripe-objects';
import { buildItem, cancelNow, expand, items, recurringAmount, updateItems } from './subscription-model';

const DAY = 86400;
const UPDATABLE_WHEN_CANCELED = new Set(['metadata', 'cancellation_details', 'expand']);

/** Subscriptions live here entirely: the mock can neither bill prices nor update or cancel them. */
export const subscriptionRoutes: Route[] = [
  route('POST', '/v1/subscriptions', createSubscription),
  route('GET', '/v1/subscriptions/:id', async (ctx) => ok(expand(ctx.state, requireSubscription(ctx), ctx.params))),
  route('POST', '/v1/subscriptions/:id', updateSubscription),
  route('DELETE', '/v1/subscriptions/:id', async (ctx) => {
    const sub = requireSubscription(ctx);
    // Stripe treats a canceled subscription as gone for a second cancel.
    if (sub.status === 'canceled') return resourceMissing('subscription', sub.id, 'id');
    cancelNow(sub, obj(ctx.params.cancellation_details));
    return ok(expand(ctx.state, sub, ctx.params));
  }),
];

async function createSubscription(ctx: RouteContext) {
  const { params, state } = ctx;
  const customerId = str(params.customer);
  if (!customerId) return missingParam('customer');
  const customer = await requireCustomer(ctx, customerId);
  if (list(params.items).length === 0) return missingParam('items');
  const now = nowSeconds();
  const trialDays = int(params.trial_period_days);
  const trialEnd =
    params.trial_end === 'now' ? null : (int(params.trial_end) ?? (trialDays ? now + trialDays * DAY : null));
  const id = newId('sub');
  const built: StripeObject[] = [];
  for (const item of list(params.items)) built.push(await buildItem(ctx, obj(item) ?? {}, id, trialEnd));
  const collection = str(params.collection_method) ?? 'charge_automatically';
  let status = trialEnd && trialEnd > now ? 'trialing' : 'active';
  const settings = (customer.invoice_settings ?? {}) as Record<string, unknown>;
  const payable = params.default_payment_method || settings.default_payment_method || customer.default_source;
  if (status === 'active' && collection === 'charge_automatically' && recurringAmount(built) > 0 && !payable) {
    if (params.payment_behavior !== 'default_incomplete') {
      return invalidRequest(
        'This customer has no attached payment source or default payment method. Please consider adding a default payment method.',
        { code: 'resource_missing' },
      );
    }
    status = 'incomplete';
  }
  const currency = (built[0]!.price as StripeObject).currency;
  const cancelAtPeriodEnd = bool(params.cancel_at_period_end) ?? false;
  const sub: StripeObject = {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: trialEnd ?? now,
    billing_cycle_anchor_config: null,
    billing_mode: { type: 'classic' },
    billing_thresholds: null,
    cancel_at: cancelAtPeriodEnd ? built[0]!.current_period_end : (int(params.cancel_at) ?? null),
    cancel_at_period_end: cancelAtPeriodEnd,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: collection,
    created: now,
    currency,
    customer: customerId,
    customer_account: null,
    days_until_due: int(params.days_until_due) ?? null,
    default_payment_method: str(params.default_payment_method) ?? null,
    default_source: str(params.default_source) ?? null,
    default_tax_rates: [],
    description: str(params.description) ?? null,
    discounts: buildDiscounts(ctx, params.discounts, id, customerId),
    ended_at: null,
    invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
    items: { object: 'list', data: built, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: newId('in'),
    livemode: false,
    metadata: mergeMetadata({}, params.metadata),
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: null,
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status,
    test_clock: null,
    transfer_data: null,
    trial_end: trialEnd,
    trial_settings: null,
    trial_start: trialEnd ? now : null,
  };
  state.subscriptions.set(id, sub);
  if (!customer.currency) patchObject(state, customerId, { currency });
  return ok(expand(state, sub, params));
}

async function updateSubscription(ctx: RouteContext) {
  const { params, state } = ctx;
  const current = requireSubscription(ctx);
  if (current.status === 'canceled' && Object.keys(params).some((key) => !UPDATABLE_WHEN_CANCELED.has(key))) {
    return invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
  }
  // Built on a copy so that a refusal half way leaves the stored subscription untouched.
  const next: StripeObject = { ...current, metadata: mergeMetadata(current.metadata, params.metadata) };
  const now = nowSeconds();
  if (params.trial_end !== undefined) {
    const trialEnd = params.trial_end === 'now' ? now : int(params.trial_end);
    if (trialEnd === undefined) return invalidRequest('Invalid trial_end.', { param: 'trial_end' });
    Object.assign(next, { trial_end: trialEnd, status: trialEnd > now ? 'trialing' : 'active' });
  }
  if (params.items !== undefined) {
    const trialEnd = next.status === 'trialing' ? (next.trial_end as number) : null;
    const data = await updateItems(
      ctx,
      items(current),
      list(params.items).map((item) => obj(item) ?? {}),
      current.id,
      trialEnd,
    );
    next.items = { ...(current.items as object), data };
  }
  const periodEnd = items(next)[0]!.current_period_end;
  const cancelAtPeriodEnd = bool(params.cancel_at_period_end);
  if (cancelAtPeriodEnd !== undefined) {
    Object.assign(next, {
      cancel_at_period_end: cancelAtPeriodEnd,
      cancel_at: cancelAtPeriodEnd ? periodEnd : null,
      canceled_at: cancelAtPeriodEnd ? now : null,
    });
  }
  if (params.cancel_at !== undefined) {
    const cancelAt = params.cancel_at === '' ? null : (int(params.cancel_at) ?? null);
    Object.assign(next, { cancel_at: cancelAt, canceled_at: cancelAt ? now : null, cancel_at_period_end: false });
  }
  const details = obj(params.cancellation_details);
  if (details || cancelAtPeriodEnd !== undefined || params.cancel_at !== undefined) {
    const previous = (current.cancellation_details ?? {}) as Record<string, unknown>;
    next.cancellation_details = {
      comment: details?.comment !== undefined ? str(details.comment) || null : (previous.comment ?? null),
      feedback: details?.feedback !== undefined ? str(details.feedback) || null : (previous.feedback ?? null),
      reason: next.status === 'canceled' || next.cancel_at ? 'cancellation_requested' : null,
    };
  }
  for (const field of ['collection_method', 'description', 'default_payment_method', 'default_source'] as const) {
    if (params[field] !== undefined) next[field] = str(params[field]) || null;
  }
  if (params.days_until_due !== undefined) next.days_until_due = int(params.days_until_due) ?? null;
  if (params.pause_collection !== undefined) next.pause_collection = obj(params.pause_collection) ?? null;
  if (params.discounts !== undefined) {
    next.discounts = buildDiscounts(ctx, params.discounts, current.id, String(current.customer));
  }
  // proration_behavior and proration_date are accepted but nothing is invoiced, so they change nothing.
  state.subscriptions.set(current.id, next);
  return ok(expand(state, next, params));
}

function requireSubscription(ctx: RouteContext): StripeObject {
  const id = ctx.ids[0]!;
  const sub = ctx.state.subscriptions.get(id);
  if (!sub) throw new Refusal(resourceMissing('subscription', id, 'id'));
  return sub;
}
