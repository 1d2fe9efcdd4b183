import { isUuid, type RecordedEvent } from '@ledgerline/event-store';
import {
  type PostalAddress,
  SUBSCRIPTION_METADATA,
  type SubscriptionAddressChanged,
  type SubscriptionCancellationRequested,
  type SubscriptionLinkedToStripe,
  type SubscriptionPlanChanged,
  type SubscriptionShipmentsRemainingChanged,
  type SubscriptionStarted,
  itemProductId,
} from '@ledgerline/events';
import { type Column, type PartialSnapshot, platformTime, type SnapshotTable } from '../shared/snapshot-table';
import { refId } from '../shared/stripe-refs';
import { bool, type Json, listData, num, obj, str, time } from '../shared/stripe-values';

export interface SubscriptionItemView {
  id: string | null;
  priceId: string | null;
  planId: string | null;
  productId: string | null;
  nickname: string | null;
  quantity: number | null;
  unitAmount: number | null;
  currency: string | null;
  interval: string | null;
  intervalCount: number | null;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
}

/**
 * The subscription's discount in support's terms: its coupon as Stripe sent it, else as the catalog
 * knows it (the coupon Stripe named, or the one the platform started the subscription with), else
 * only the discount's id.
 */
export interface DiscountView {
  /** Null while the subscription is pending: the discount the platform asked Stripe for. */
  id: string | null;
  coupon: {
    id: string | null;
    name?: string | null;
    percentOff?: number | null;
    amountOff?: number | null;
    currency?: string | null;
    duration?: string | null;
    /** For a `repeating` coupon, when the terms are the catalog's. */
    durationInMonths?: number | null;
  } | null;
  promotionCode?: string | null;
  start?: string | null;
  end?: string | null;
}

/** What the platform asked of Stripe (written before Stripe confirms it). */
export interface CancellationRequestView {
  when: 'now' | 'period_end';
  effectiveAt: string | null;
  /** `plan_change` when a plan change replaced the subscription. */
  reason: string | null;
  requestedAt: string | null;
  actor: string | null;
}

/** The subscriptions table's own columns (besides the bookkeeping ones), typed to the letter for its view. */
export const subscriptionsColumns = [
  { name: 'stripe_id', type: 'text', merge: 'fixed' },
  { name: 'customer_id', type: 'text', merge: 'fixed' },
  { name: 'replaces_subscription_id', type: 'text', merge: 'fixed' },
  // Stripe's events name the discount only (`discounts: ['di_…']`): subscription-discount.ts.
  { name: 'start_coupon_id', type: 'text', merge: 'fixed' },
  { name: 'customer_stripe_id', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'items', type: 'jsonb' },
  { name: 'product_ids', type: 'text[]' },
  { name: 'currency', type: 'text' },
  { name: 'trial_start', type: 'timestamptz' },
  { name: 'trial_end', type: 'timestamptz' },
  { name: 'current_period_start', type: 'timestamptz' },
  { name: 'current_period_end', type: 'timestamptz' },
  { name: 'cancel_at_period_end', type: 'boolean' },
  { name: 'cancel_at', type: 'timestamptz' },
  { name: 'canceled_at', type: 'timestamptz' },
  { name: 'ended_at', type: 'timestamptz' },
  { name: 'start_date', type: 'timestamptz' },
  { name: 'collection_method', type: 'text' },
  { name: 'discount', type: 'jsonb' },
  { name: 'gift_recipient', type: 'text', group: 'gift' },
  { name: 'shipments_remaining', type: 'integer', group: 'shipments' },
  { name: 'shipping_address', type: 'jsonb', group: 'shipping' },
  { name: 'cancellation_requested', type: 'jsonb', group: 'cancellation' },
  { name: 'schedule_id', type: 'text' },
  { name: 'latest_invoice_id', type: 'text' },
  { name: 'default_payment_method', type: 'text' },
  { name: 'metadata', type: 'jsonb' },
  { name: 'livemode', type: 'boolean' },
  { name: 'stripe_created', type: 'timestamptz' },
] as const satisfies readonly Column[];

/**
 * The subscription as it stands: its newest snapshot, with items and discount in support's terms.
 * Keyed by the platform's id when Stripe metadata names one, so the platform's record of a
 * subscription it started and Stripe's echo are one row; else by the Stripe id. The facts the
 * platform edits itself (shipments, shipping address, gift) are groups: the newest writer wins.
 */
export const subscriptionsTable: SnapshotTable = {
  table: 'subscriptions',
  objectTypes: ['subscription'],
  keyOf: (subscription) => {
    const named = obj(subscription.metadata)?.[SUBSCRIPTION_METADATA.subscriptionId];
    return isUuid(named) ? named.toLowerCase() : String(subscription.id);
  },
  // customer.subscription.deleted means cancelled; the row keeps status "canceled", not deleted.
  deletedBySuffix: false,
  provisional: true,
  platformGroups: ['cancellation'],
  columns: subscriptionsColumns,
  toRow(subscription) {
    const items = subscriptionItems(subscription);
    const metadata = obj(subscription.metadata) ?? {};
    const shipments = str(metadata.shipments_remaining) ?? num(metadata.shipments_remaining);
    const customerId = metadata[SUBSCRIPTION_METADATA.customerId];
    return {
      stripe_id: str(subscription.id),
      customer_id: isUuid(customerId) ? customerId.toLowerCase() : null,
      customer_stripe_id: refId(subscription.customer),
      status: str(subscription.status),
      items,
      product_ids: [...new Set(items.map((item) => item.productId).filter((id): id is string => id !== null))].sort(),
      currency: str(subscription.currency) ?? items[0]?.currency ?? null,
      trial_start: time(subscription.trial_start),
      trial_end: time(subscription.trial_end),
      current_period_start: time(subscription.current_period_start),
      current_period_end: time(subscription.current_period_end),
      cancel_at_period_end: bool(subscription.cancel_at_period_end),
      cancel_at: time(subscription.cancel_at),
      canceled_at: time(subscription.canceled_at),
      ended_at: time(subscription.ended_at),
      start_date: time(subscription.start_date),
      collection_method: str(subscription.collection_method),
      discount: discountOf(subscription),
      // The platform's own subscription facts travel in Stripe metadata (docs/read-models.md).
      gift_recipient: str(metadata.gift_recipient),
      shipments_remaining: shipments === null ? null : Number.parseInt(String(shipments), 10) || 0,
      shipping_address: parseAddress(metadata[SUBSCRIPTION_METADATA.shippingAddress]),
      schedule_id: refId(subscription.schedule),
      latest_invoice_id: refId(subscription.latest_invoice),
      default_payment_method: refId(subscription.default_payment_method) ?? refId(subscription.default_source),
      metadata,
      livemode: bool(subscription.livemode),
      stripe_created: time(subscription.created),
    };
  },
  platformEvents: {
    SubscriptionStarted: (event) => [started(event)],
    SubscriptionAddressChanged: (event) => {
      const data = event.data as SubscriptionAddressChanged;
      return [edit(data, { shipping: { shipping_address: data.shippingAddress } })];
    },
    SubscriptionShipmentsRemainingChanged: (event) => {
      const data = event.data as SubscriptionShipmentsRemainingChanged;
      return [edit(data, { shipments: { shipments_remaining: data.shipmentsRemaining } })];
    },
    SubscriptionCancellationRequested: (event) => {
      const data = event.data as SubscriptionCancellationRequested;
      return [edit(data, cancellation(event, data.when, data.effectiveAt, data.reason))];
    },
    // The old subscription is cancelled now; the new one comes with its own SubscriptionStarted.
    SubscriptionPlanChanged: (event) => [
      edit(
        event.data as SubscriptionPlanChanged,
        cancellation(event, 'now', event.metadata.occurredAt ?? null, 'plan_change'),
      ),
    ],
    SubscriptionLinkedToStripe: (event) => {
      const data = event.data as SubscriptionLinkedToStripe;
      return [
        {
          ...edit(data, {}),
          merged: { customer_id: customerKey(data.customerId), stripe_id: data.stripeSubscriptionId },
        },
      ];
    },
  },
};

/** The platform's id of a subscription: its uuid (lower case), or the Stripe id of one that came from Stripe. */
function subscriptionKey(id: string): string {
  return isUuid(id) ? id.toLowerCase() : id;
}

function customerKey(id: string | null): string | null {
  return isUuid(id) ? id.toLowerCase() : null;
}

/** A platform edit of a subscription: the groups it writes, and the customer it names. */
function edit(
  data: { subscriptionId: string; customerId: string | null },
  groups: PartialSnapshot['groups'],
): PartialSnapshot {
  return { key: subscriptionKey(data.subscriptionId), groups, merged: { customer_id: customerKey(data.customerId) } };
}

function cancellation(
  event: RecordedEvent,
  when: CancellationRequestView['when'],
  effectiveAt: string | null,
  reason: string | null,
): PartialSnapshot['groups'] {
  const requested: CancellationRequestView = {
    when,
    effectiveAt,
    reason,
    requestedAt: event.metadata.occurredAt ?? null,
    actor: event.metadata.actor ?? null,
  };
  return { cancellation: { cancellation_requested: requested } };
}

/**
 * A subscription the platform started: its own facts as groups, and what Stripe will say
 * (status `pending`, the item, collection) as provisional values until Stripe's first snapshot.
 */
function started(event: RecordedEvent): PartialSnapshot {
  const data = event.data as SubscriptionStarted;
  const { item } = data;
  const trialEnd = data.trialDays ? platformTime(event) + data.trialDays * 86_400 : null;
  return {
    ...edit(data, {
      gift: { gift_recipient: data.giftRecipientId },
      shipments: { shipments_remaining: data.shipmentsRemaining },
      shipping: { shipping_address: data.shippingAddress },
    }),
    merged: {
      customer_id: customerKey(data.customerId),
      replaces_subscription_id: data.replacesSubscriptionId && subscriptionKey(data.replacesSubscriptionId),
      start_coupon_id: data.couponId,
    },
    provisional: {
      status: 'pending',
      customer_stripe_id: data.customerStripeId,
      items: [
        {
          id: null,
          priceId: item.priceId,
          planId: null,
          productId: item.productId,
          nickname: null,
          quantity: 1,
          unitAmount: item.unitAmount,
          currency: item.currency,
          interval: item.interval,
          intervalCount: item.intervalCount,
          currentPeriodStart: null,
          currentPeriodEnd: null,
        } satisfies SubscriptionItemView,
      ],
      product_ids: item.productId ? [item.productId] : [],
      currency: item.currency,
      collection_method: data.collection === 'card_on_file' ? 'charge_automatically' : 'send_invoice',
      trial_end: time(trialEnd),
    },
  };
}

/**
 * The shipping address the platform put in Stripe metadata (JSON of a PostalAddress); null if
 * unreadable or without its street and country (metadata anyone can edit in Stripe's dashboard).
 */
function parseAddress(value: unknown): PostalAddress | null {
  if (typeof value !== 'string') return null;
  let address: Json | null;
  try {
    address = obj(JSON.parse(value));
  } catch {
    return null;
  }
  const line1 = str(address?.line1);
  const country = str(address?.country);
  if (!address || !line1 || !country) return null;
  return {
    line1,
    line2: str(address.line2),
    city: str(address.city),
    state: str(address.state),
    country,
    postalCode: str(address.postalCode),
  };
}

export function subscriptionItems(subscription: Json): SubscriptionItemView[] {
  return listData(subscription.items).map((item) => {
    const price = obj(item.price);
    const plan = obj(item.plan);
    const recurring = obj(price?.recurring);
    return {
      id: str(item.id),
      priceId: str(price?.id) ?? (typeof item.price === 'string' ? item.price : null),
      planId: str(plan?.id),
      productId: itemProductId(item),
      nickname: str(price?.nickname) ?? str(plan?.nickname),
      quantity: num(item.quantity),
      unitAmount: num(price?.unit_amount) ?? num(plan?.amount),
      currency: str(price?.currency) ?? str(plan?.currency),
      interval: str(recurring?.interval) ?? str(plan?.interval),
      intervalCount: num(recurring?.interval_count) ?? num(plan?.interval_count),
      currentPeriodStart: time(item.current_period_start),
      currentPeriodEnd: time(item.current_period_end),
    };
  });
}

/** `discount` (one, older APIs) or `discounts` (several; ids unless expanded): the first, in words. */
function discountOf(subscription: Json): DiscountView | null {
  const discount = obj(subscription.discount) ?? listData(subscription.discounts)[0] ?? null;
  const ids = Array.isArray(subscription.discounts) ? subscription.discounts.filter((d) => typeof d === 'string') : [];
  if (!discount) return ids.length ? { id: ids[0] as string, coupon: null } : null;
  const coupon = obj(discount.coupon) ?? obj(obj(discount.source)?.coupon);
  return {
    id: str(discount.id),
    coupon: coupon
      ? {
          id: str(coupon.id),
          name: str(coupon.name),
          percentOff: num(coupon.percent_off),
          amountOff: num(coupon.amount_off),
          currency: str(coupon.currency),
          duration: str(coupon.duration),
        }
      : typeof discount.coupon === 'string'
        ? { id: discount.coupon }
        : null,
    promotionCode: refId(discount.promotion_code),
    start: time(discount.start),
    end: time(discount.end),
  };
}

/** The subscriptionSchedules table's own columns (besides the bookkeeping ones), typed to the letter for its view. */
export const subscriptionSchedulesColumns = [
  { name: 'customer_stripe_id', type: 'text' },
  { name: 'subscription_id', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'end_behavior', type: 'text' },
  { name: 'phases', type: 'jsonb' },
  { name: 'stripe_created', type: 'timestamptz' },
] as const satisfies readonly Column[];

/** Subscription schedules, for the `schedule` a subscription names. */
export const subscriptionSchedulesTable: SnapshotTable = {
  table: 'subscription_schedules',
  objectTypes: ['subscription_schedule'],
  deletedBySuffix: false,
  columns: subscriptionSchedulesColumns,
  toRow(schedule) {
    return {
      customer_stripe_id: refId(schedule.customer),
      subscription_id: refId(schedule.subscription),
      status: str(schedule.status),
      end_behavior: str(schedule.end_behavior),
      phases: listData(schedule.phases).map((phase) => ({
        start: time(phase.start_date),
        end: time(phase.end_date),
        items: listData(phase.items).map((item) => ({
          price: refId(item.price) ?? refId(item.plan),
          quantity: num(item.quantity),
        })),
      })),
      stripe_created: time(schedule.created),
    };
  },
};
