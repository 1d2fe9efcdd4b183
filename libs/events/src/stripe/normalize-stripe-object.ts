/**
 * Stripe's API versions from 2018 to today shape the same objects differently. Projectors read
 * Stripe objects through these normalisers only, so each difference is handled once. Detection is
 * by shape, not by `api_version` (old events may have none, and objects inside events follow the
 * endpoint's version). Normalising only adds the missing form; it never removes or mutates input.
 */

import type { Json } from './stripe-json';

type Normaliser = (object: Json) => Json;

const NORMALISERS: Record<string, Normaliser[]> = {
  subscription: [subscriptionItemsFromPlan, subscriptionPeriods],
  invoice: [invoiceSubscription, invoicePaymentIntent, invoiceLines],
};

/** The object in the shape every projector can rely on (see the normalisers for what that is). */
export function normaliseStripeObject<T extends Json>(object: T): T {
  const normalisers = NORMALISERS[typeof object.object === 'string' ? object.object : ''] ?? [];
  return normalisers.reduce<Json>((current, normalise) => normalise(current), object) as T;
}

/**
 * Very old subscriptions carry a single `plan` and `quantity` and no `items`: give them the one item
 * they stand for, so that projectors only ever read `items.data`.
 */
function subscriptionItemsFromPlan(subscription: Json): Json {
  if (isList(subscription.items) || !isObject(subscription.plan)) return subscription;
  const plan = subscription.plan;
  const item: Json = {
    object: 'subscription_item',
    id: `${String(subscription.id)}_plan`,
    plan,
    price: plan,
    quantity: subscription.quantity ?? 1,
  };
  return { ...subscription, items: { object: 'list', data: [item], has_more: false } };
}

/**
 * API 2025-03-31 moved `current_period_start/end` from the subscription to each item. Both forms
 * are filled in: items take the subscription's period when they lack one; a subscription without
 * one takes the earliest start and latest end of its items.
 */
function subscriptionPeriods(subscription: Json): Json {
  if (!isList(subscription.items)) return subscription;
  const items = subscription.items.data.filter(isObject);
  const hasOwn =
    typeof subscription.current_period_start === 'number' && typeof subscription.current_period_end === 'number';
  if (hasOwn) {
    const data = items.map((item) =>
      typeof item.current_period_start === 'number'
        ? item
        : {
            ...item,
            current_period_start: subscription.current_period_start,
            current_period_end: subscription.current_period_end,
          },
    );
    return { ...subscription, items: { ...subscription.items, data } };
  }
  const starts = items.map((item) => item.current_period_start).filter((v): v is number => typeof v === 'number');
  const ends = items.map((item) => item.current_period_end).filter((v): v is number => typeof v === 'number');
  if (!starts.length || !ends.length) return subscription;
  return { ...subscription, current_period_start: Math.min(...starts), current_period_end: Math.max(...ends) };
}

/**
 * API 2025-03-31 replaced `invoice.subscription` with `invoice.parent.subscription_details.subscription`.
 * The top-level id is filled in from `parent` when missing.
 */
function invoiceSubscription(invoice: Json): Json {
  if (typeof invoice.subscription === 'string' || isObject(invoice.subscription)) return invoice;
  const details =
    isObject(invoice.parent) && isObject(invoice.parent.subscription_details)
      ? invoice.parent.subscription_details
      : null;
  const subscription = details?.subscription;
  if (typeof subscription !== 'string' && !isObject(subscription)) return invoice;
  return { ...invoice, subscription };
}

/**
 * API 2025-03-31 replaced `invoice.payment_intent` with the `payments` list. The first payment's
 * intent is lifted to `payment_intent` when missing.
 */
function invoicePaymentIntent(invoice: Json): Json {
  if (invoice.payment_intent !== undefined || !isList(invoice.payments)) return invoice;
  for (const entry of invoice.payments.data) {
    const payment = isObject(entry) && isObject(entry.payment) ? entry.payment : null;
    const intent = payment?.payment_intent;
    if (typeof intent === 'string' || isObject(intent)) return { ...invoice, payment_intent: intent };
  }
  return invoice;
}

/**
 * API 2025-03-31 moved a line's `subscription` under `parent.subscription_item_details` and its
 * `price` under `pricing.price_details` (as ids). Both are lifted back when missing.
 */
function invoiceLines(invoice: Json): Json {
  if (!isList(invoice.lines)) return invoice;
  const data = invoice.lines.data.map((line) => {
    if (!isObject(line)) return line;
    let next = line;
    const item =
      isObject(line.parent) && isObject(line.parent.subscription_item_details)
        ? line.parent.subscription_item_details
        : null;
    if (
      typeof line.subscription !== 'string' &&
      !isObject(line.subscription) &&
      typeof item?.subscription === 'string'
    ) {
      next = { ...next, subscription: item.subscription };
    }
    const details = isObject(line.pricing) && isObject(line.pricing.price_details) ? line.pricing.price_details : null;
    if (line.price === undefined && typeof details?.price === 'string') {
      next = { ...next, price: { id: details.price, object: 'price', product: details.product ?? null } };
    }
    return next;
  });
  return data.some((line, i) => line !== (invoice.lines as { data: unknown[] }).data[i])
    ? { ...invoice, lines: { ...invoice.lines, data } }
    : invoice;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isList(value: unknown): value is Json & { data: unknown[] } {
  return isObject(value) && Array.isArray(value.data);
}
