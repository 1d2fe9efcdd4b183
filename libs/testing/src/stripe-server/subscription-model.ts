import type { FormParams } from './form-body';
import type { AccountState } from './state';
import { callMock, type RouteContext } from './routing';
import {
  int,
  invalidRequest,
  list,
  mergeMetadata,
  newId,
  nowSeconds,
  Refusal,
  resourceMissing,
  str,
  unwrap,
  type StripeObject,
} from './stripe-objects';

interface Recurring {
  interval: string;
  interval_count: number;
}

/** The end of one billing period that starts at `start` (seconds). */
export function periodEnd(start: number, recurring: Recurring): number {
  const date = new Date(start * 1000);
  const count = Number(recurring.interval_count) || 1;
  if (recurring.interval === 'day') date.setUTCDate(date.getUTCDate() + count);
  else if (recurring.interval === 'week') date.setUTCDate(date.getUTCDate() + 7 * count);
  else if (recurring.interval === 'year') date.setUTCFullYear(date.getUTCFullYear() + count);
  else date.setUTCMonth(date.getUTCMonth() + count);
  return Math.floor(date.getTime() / 1000);
}

/** A recurring price from the mock (which holds prices and products). */
export async function requireRecurringPrice(ctx: RouteContext, priceId: string): Promise<StripeObject> {
  const reply = await callMock(ctx, 'GET', `/v1/prices/${encodeURIComponent(priceId)}`);
  if (reply.status === 404) throw new Refusal(resourceMissing('price', priceId, 'items'));
  const price = unwrap(reply);
  if (!price.recurring) {
    throw new Refusal(
      invalidRequest(
        `The price specified (${priceId}) is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`,
        { param: 'items' },
      ),
    );
  }
  return price;
}

/**
 * A subscription item for `items[n]`. The mock's own subscriptions only take legacy plans, so items
 * are built here; the period runs from now to the trial end or one billing interval later.
 */
export async function buildItem(
  ctx: RouteContext,
  param: FormParams,
  subscriptionId: string,
  trialEnd: number | null,
): Promise<StripeObject> {
  const priceId = str(param.price);
  if (!priceId) {
    throw new Refusal(invalidRequest('The Stripe test server supports subscription items by `price` only.'));
  }
  const price = await requireRecurringPrice(ctx, priceId);
  const start = nowSeconds();
  return {
    id: newId('si'),
    object: 'subscription_item',
    billing_thresholds: null,
    created: start,
    current_period_start: start,
    current_period_end: trialEnd ?? periodEnd(start, price.recurring as Recurring),
    current_trial: null,
    discounts: [],
    metadata: mergeMetadata({}, param.metadata),
    plan: planOf(price),
    price,
    quantity: int(param.quantity) ?? 1,
    subscription: subscriptionId,
    tax_rates: [],
  };
}

/** Applies `items[n]` of an update: `id` changes an item, `deleted` removes it, no `id` adds one. */
export async function updateItems(
  ctx: RouteContext,
  current: StripeObject[],
  params: FormParams[],
  subscriptionId: string,
  trialEnd: number | null,
): Promise<StripeObject[]> {
  const items = current.map((item) => ({ ...item }));
  for (const param of params) {
    const id = str(param.id);
    if (!id) {
      items.push(await buildItem(ctx, param, subscriptionId, trialEnd));
      continue;
    }
    const index = items.findIndex((item) => item.id === id);
    if (index === -1) throw new Refusal(resourceMissing('subscription_item', id, 'items'));
    if (param.deleted === 'true') {
      items.splice(index, 1);
      continue;
    }
    const item = items[index]!;
    const priceId = str(param.price);
    if (priceId) {
      const price = await requireRecurringPrice(ctx, priceId);
      Object.assign(item, { price, plan: planOf(price) });
    }
    if (param.quantity !== undefined) item.quantity = int(param.quantity) ?? item.quantity;
    if (param.metadata !== undefined) item.metadata = mergeMetadata(item.metadata, param.metadata);
  }
  if (items.length === 0) throw new Refusal(invalidRequest('A subscription must have at least one active plan.'));
  return items;
}

/** Amount billed per period, to know whether the first invoice needs a payment method. */
export function recurringAmount(items: StripeObject[]): number {
  return items.reduce((sum, item) => {
    const price = item.price as { unit_amount?: number | null };
    return sum + (price.unit_amount ?? 0) * Number(item.quantity ?? 1);
  }, 0);
}

/** Stripe still returns the legacy `plan` view of a recurring price on each item. */
function planOf(price: StripeObject): StripeObject {
  const recurring = price.recurring as Recurring & { usage_type?: string };
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: recurring.interval,
    interval_count: recurring.interval_count,
    livemode: false,
    metadata: price.metadata,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: price.tiers_mode ?? null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: recurring.usage_type ?? 'licensed',
  };
}

/** Ends a subscription now, as DELETE /v1/subscriptions/:id or deleting its customer does. */
export function cancelNow(sub: StripeObject, details?: FormParams): void {
  const now = nowSeconds();
  const previous = (sub.cancellation_details ?? {}) as Record<string, unknown>;
  Object.assign(sub, {
    status: 'canceled',
    canceled_at: now,
    ended_at: now,
    cancellation_details: {
      comment: str(details?.comment) ?? previous.comment ?? null,
      feedback: str(details?.feedback) ?? previous.feedback ?? null,
      reason: 'cancellation_requested',
    },
  });
}

export function items(sub: StripeObject): StripeObject[] {
  return (sub.items as { data: StripeObject[] }).data;
}

/** Only `expand[]=discounts` is understood; other expansions are left as ids. */
export function expand(state: AccountState, sub: StripeObject, params: FormParams): StripeObject {
  if (!list(params.expand).includes('discounts')) return sub;
  return { ...sub, discounts: (sub.discounts as string[]).map((id) => state.discounts.get(id) ?? id) };
}
