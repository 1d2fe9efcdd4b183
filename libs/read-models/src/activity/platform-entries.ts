import { stripeIdsOfOutcome } from '../stripe-sync/platform-events';
import type { ActivityKind } from './activity-entry';
import { day, money, num, obj, str, words, type Json } from './format';

/** What one platform event says, with the object it is about (platform events carry no Stripe object). */
export interface PlatformDraft {
  kind: ActivityKind;
  summary: string;
  /** Facts behind the summary; `actor` is added to every entry's details. */
  details: Json;
  objectType: string;
  objectId: string | null;
  customerStripeId?: string | null;
  chargeId?: string | null;
}

type PlatformMapping = (data: Json, actor: string) => PlatformDraft[];

/** A platform command event type as support staff read it (`SubscriptionPlanChanged` → `Plan changed`). */
const COMMAND_WORDS: Record<string, string> = {
  CustomerRegistered: 'Customer registered',
  CustomerDetailsChanged: 'Customer details changed',
  CustomerDeleted: 'Customer deleted',
  SubscriptionStarted: 'Subscription started',
  SubscriptionAddressChanged: 'Shipping address changed',
  SubscriptionShipmentsRemainingChanged: 'Shipments remaining changed',
  SubscriptionCancellationRequested: 'Cancellation requested',
  SubscriptionPlanChanged: 'Plan changed',
  SubscriptionRenewalPrepaid: 'Renewal prepaid',
  RefundRequested: 'Refund requested',
};

export function commandWords(type: unknown): string | null {
  const text = str(type);
  if (!text) return null;
  return COMMAND_WORDS[text] ?? capitalised(camelWords(text));
}

/** `shipmentsRemaining` → `shipments remaining`. */
function camelWords(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Field names of CustomerDetails as support staff say them. */
const DETAIL_WORDS: Record<string, string> = {
  firstName: 'first name',
  lastName: 'last name',
  email: 'email',
  phone: 'phone',
  address: 'address',
};

/** Stripe object kinds of the ids an outcome names (`paymentIntent` → `payment intent`). */
const STRIPE_ID_WORDS: Record<string, string> = {
  customer: 'customer',
  subscription: 'subscription',
  refund: 'refund',
  paymentIntent: 'payment intent',
  balanceTransaction: 'balance transaction',
};

const INTERVAL_WORDS: Record<string, string> = { day: 'day', week: 'week', month: 'month', year: 'year' };

/**
 * Free text that reaches a summary (Stripe error messages, cancellation reasons): emails are masked,
 * as the feed never shows contact data (Stripe quotes an invalid email back in its message).
 */
export function maskContacts(text: string): string {
  return text.replace(/[^\s@'"<>()]+@[^\s@'"<>()]+/g, '[email]');
}

/** `a`, `a and b`, `a, b and c`. */
function andList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** ISO time as Unix seconds (details carry dates as Unix seconds); null when not a time. */
function unixOf(value: unknown): number | null {
  const text = str(value);
  const ms = text ? Date.parse(text) : NaN;
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/** `price_123 ($9.00/month)`, `price_123 ($27.00 every 3 months)`, or just the price id. */
function priceWords(item: Json | null): string {
  const priceId = str(item?.priceId) ?? 'unknown price';
  const amount = money(item?.unitAmount, item?.currency);
  if (!amount) return priceId;
  const interval = str(item?.interval);
  const count = num(item?.intervalCount) ?? 1;
  const unit = interval ? (INTERVAL_WORDS[interval] ?? interval) : null;
  if (!unit) return `${priceId} (${amount})`;
  return count > 1 ? `${priceId} (${amount} every ${count} ${unit}s)` : `${priceId} (${amount}/${unit})`;
}

function collectionWords(data: Json): string | null {
  const due = num(data.daysUntilDue);
  switch (str(data.collection)) {
    case 'card_on_file':
      return 'card on file';
    case 'send_invoice':
      return due !== null ? `invoices due in ${due} days` : 'invoices sent';
    case 'offline':
      return due !== null ? `paid offline, due in ${due} days` : 'paid offline';
    default:
      return null;
  }
}

function stripeIdWords(ids: Record<string, string>): string {
  return Object.entries(ids)
    .map(([kind, id]) => `${STRIPE_ID_WORDS[kind] ?? camelWords(kind)} ${id}`)
    .join(', ');
}

const customer = (data: Json) => ({ objectType: 'customer', objectId: str(data.customerId) });
const subscription = (data: Json) => ({ objectType: 'subscription', objectId: str(data.subscriptionId) });
/** Outcome entries are about their command event: the query finds a command's failures by it. */
const syncOf = (data: Json) => ({ objectType: 'stripe_sync', objectId: str(data.commandEventId) });

/** A success outcome: kept in the table, shown by the query only after a failure of the same command. */
function synced(data: Json, label: string | null, ids: Record<string, string> | null): PlatformDraft[] {
  const named = ids && Object.keys(ids).length ? stripeIdWords(ids) : null;
  let summary = label ? `Stripe sync succeeded for '${label}'` : 'Stripe sync succeeded';
  if (named) summary += `: ${named}`;
  return [
    {
      kind: 'stripe_synced',
      summary,
      details: {
        commandEventId: str(data.commandEventId),
        commandEventType: str(data.commandEventType),
        stripeIds: ids,
      },
      ...syncOf(data),
    },
  ];
}

const linked =
  (type: string): PlatformMapping =>
  (data) =>
    synced(data, null, stripeIdsOfOutcome(type, data));

export const PLATFORM_MAPPINGS: Record<string, PlatformMapping> = {
  CustomerRegistered: (data, actor) => [
    { kind: 'customer_registered', summary: `Customer registered by ${actor}`, details: {}, ...customer(data) },
  ],

  // Only the names of the changed fields: their values (emails, addresses) stay out of the feed.
  CustomerDetailsChanged: (data, actor) => {
    const changed = Array.isArray(data.changed) ? data.changed.filter((f): f is string => typeof f === 'string') : [];
    const fields = changed.map((field) => DETAIL_WORDS[field] ?? camelWords(field));
    const what = fields.length ? capitalised(andList(fields)) : 'Customer details';
    return [
      {
        kind: 'customer_details_changed',
        summary: `${what} changed by ${actor}`,
        details: { fields: changed },
        customerStripeId: str(data.stripeCustomerId),
        ...customer(data),
      },
    ];
  },

  CustomerDeleted: (data, actor) => [
    {
      kind: 'customer_deleted',
      summary: `Customer deleted by ${actor}`,
      details: {
        stripeCustomerIds: Array.isArray(data.stripeCustomerIds)
          ? data.stripeCustomerIds.filter((id): id is string => typeof id === 'string')
          : [],
      },
      ...customer(data),
    },
  ],

  SubscriptionStarted: (data, actor) => {
    const item = obj(data.item);
    const trialDays = num(data.trialDays);
    const shipments = num(data.shipmentsRemaining);
    const parts = [
      priceWords(item),
      collectionWords(data),
      trialDays ? `${trialDays}-day trial` : null,
      str(data.couponId) ? `coupon ${str(data.couponId)}` : null,
      str(data.giftRecipientId) ? 'a gift' : null,
      shipments !== null ? `${shipments} shipment${shipments === 1 ? '' : 's'}` : null,
      str(data.replacesSubscriptionId) ? `replaces ${str(data.replacesSubscriptionId)}` : null,
    ].filter((part): part is string => part !== null);
    return [
      {
        kind: 'subscription_start_requested',
        summary: `Subscription started by ${actor}: ${parts.join(', ')}`,
        details: {
          priceId: str(item?.priceId),
          productId: str(item?.productId),
          unitAmount: num(item?.unitAmount),
          currency: str(item?.currency),
          interval: str(item?.interval),
          intervalCount: num(item?.intervalCount),
          collection: str(data.collection),
          daysUntilDue: num(data.daysUntilDue),
          trialDays,
          couponId: str(data.couponId),
          gift: str(data.giftRecipientId) !== null,
          shipmentsRemaining: shipments,
          replacesSubscriptionId: str(data.replacesSubscriptionId),
        },
        customerStripeId: str(data.customerStripeId),
        ...subscription(data),
      },
    ];
  },

  // The address itself stays out of the feed.
  SubscriptionAddressChanged: (data, actor) => [
    {
      kind: 'shipping_address_changed',
      summary: `Shipping address changed by ${actor}`,
      details: {},
      ...subscription(data),
    },
  ],

  SubscriptionShipmentsRemainingChanged: (data, actor) => {
    const to = num(data.shipmentsRemaining);
    const from = num(data.previous);
    let summary = `Shipments remaining set to ${to ?? 'unknown'} by ${actor}`;
    if (from !== null) summary += ` (was ${from})`;
    return [{ kind: 'shipments_remaining_changed', summary, details: { from, to }, ...subscription(data) }];
  },

  SubscriptionCancellationRequested: (data, actor) => {
    const when = str(data.when);
    const effectiveAt = unixOf(data.effectiveAt);
    const reason = str(data.reason);
    const periodEnd = effectiveAt === null ? 'at period end' : `at period end, ${day(effectiveAt)}`;
    let summary = `Cancellation requested by ${actor}`;
    if (when === 'now') summary += ' (immediately)';
    else if (when === 'period_end') summary += ` (${periodEnd})`;
    if (reason) summary += `: ${maskContacts(words(reason) ?? reason)}`;
    return [
      {
        kind: 'cancellation_requested',
        summary,
        details: { when, effectiveAt, reason: reason && maskContacts(reason) },
        ...subscription(data),
      },
    ];
  },

  SubscriptionPlanChanged: (data, actor) => {
    const from = str(data.fromPriceId);
    const to = str(data.toPriceId);
    const credit = num(data.creditAmount);
    let summary = from
      ? `Plan changed by ${actor}: ${from} → ${to ?? 'unknown price'}`
      : `Plan changed by ${actor} to ${to}`;
    const credited = credit ? money(credit, data.currency) : null;
    if (credited) summary += `, ${credited} credited to balance`;
    return [
      {
        kind: 'plan_change_requested',
        summary,
        details: {
          from,
          to,
          newSubscriptionId: str(data.newSubscriptionId),
          refundPolicy: str(data.refundPolicy),
          creditAmount: credit,
          currency: str(data.currency),
        },
        ...subscription(data),
      },
    ];
  },

  SubscriptionRenewalPrepaid: (data, actor) => {
    const amount = money(data.amount, data.currency);
    const renewsAt = unixOf(data.renewsAt);
    let summary = `Renewal prepaid by ${actor}`;
    if (amount) summary += `: ${amount} charged to the card on file`;
    if (renewsAt !== null) summary += ` for the renewal on ${day(renewsAt)}`;
    return [
      {
        kind: 'renewal_prepaid',
        summary,
        details: { amount: num(data.amount), currency: str(data.currency), renewsAt },
        ...subscription(data),
      },
    ];
  },

  RefundRequested: (data, actor) => {
    const amount = money(data.amount, data.currency);
    const reason = words(data.reason);
    let summary = `Refund${amount ? ` of ${amount}` : ''} requested by ${actor}`;
    if (reason) summary += `: ${reason}`;
    return [
      {
        kind: 'refund_requested',
        summary,
        details: {
          amount: num(data.amount),
          currency: str(data.currency),
          reason: str(data.reason),
          paymentId: str(data.paymentId),
          refundRequestId: str(data.refundRequestId),
        },
        objectType: 'payment',
        objectId: str(data.paymentId),
        chargeId: str(data.chargeId),
      },
    ];
  },

  StripeSyncFailed: (data) => {
    const label = commandWords(data.commandEventType);
    const reason = str(data.reason);
    let summary = label ? `Stripe sync failed for '${label}'` : 'Stripe sync failed';
    if (reason) summary += `: ${maskContacts(reason)}`;
    return [
      {
        kind: 'stripe_sync_failed',
        summary,
        details: {
          commandEventId: str(data.commandEventId),
          commandEventType: str(data.commandEventType),
          operation: str(data.operation),
          reason: reason && maskContacts(reason),
          stripeErrorType: str(data.stripeErrorType),
          stripeErrorCode: str(data.stripeErrorCode),
          statusCode: num(data.statusCode),
          attempts: num(data.attempts),
        },
        ...syncOf(data),
      },
    ];
  },

  StripeSyncCompleted: (data) =>
    synced(data, commandWords(data.commandEventType), stripeIdsOfOutcome('StripeSyncCompleted', data)),
  CustomerLinkedToStripe: linked('CustomerLinkedToStripe'),
  SubscriptionLinkedToStripe: linked('SubscriptionLinkedToStripe'),
  RefundLinkedToStripe: linked('RefundLinkedToStripe'),
  RenewalChargeLinkedToStripe: linked('RenewalChargeLinkedToStripe'),
};
