import { refId } from '../shared/stripe-refs';
import { time } from '../shared/stripe-values';
import type { NotificationKind } from './notification-events';

type Json = Record<string, unknown>;

/** Brand, last four digits and expiry: all a message needs, and never anything more of a card. */
export interface CardSummary {
  brand: string;
  last4: string;
  expMonth: number | null;
  expYear: number | null;
}

/**
 * The small summary a receiver needs to write the message. Deliberately no names, emails,
 * addresses or full objects: the receiver looks the customer up by id if it needs more.
 */
export function subjectOf(kind: NotificationKind, object: Json): Json {
  const objectId = refId(object.id);
  switch (kind) {
    case 'customer_created':
      return { objectId };
    case 'subscription_created':
      return { objectId, status: text(object.status), trialEnd: time(object.trial_end) };
    case 'invoice_created':
      return { objectId, ...invoiceAmounts(object), subscriptionId: refId(object.subscription) };
    case 'charge_succeeded':
      return { objectId, ...chargeAmounts(object), invoiceId: refId(object.invoice) };
    case 'payment_failed':
      return object.object === 'invoice'
        ? {
            objectId,
            ...invoiceAmounts(object),
            attemptCount: integer(object.attempt_count),
            nextPaymentAttempt: time(object.next_payment_attempt),
          }
        : { objectId, ...chargeAmounts(object), failureCode: text(object.failure_code) };
    case 'trial_will_end':
      return { objectId, trialEnd: time(object.trial_end) };
    case 'card_expiring':
      return { objectId, card: cardOf(object) };
    case 'subscription_cancelled':
      return {
        objectId,
        canceledAt: time(object.canceled_at),
        endedAt: time(object.ended_at),
        reason: isObject(object.cancellation_details) ? text(object.cancellation_details.reason) : null,
      };
  }
}

function invoiceAmounts(invoice: Json): Json {
  return {
    invoiceNumber: text(invoice.number),
    amountDue: integer(invoice.amount_due),
    currency: text(invoice.currency),
  };
}

function chargeAmounts(charge: Json): Json {
  return { amount: integer(charge.amount), currency: text(charge.currency), card: cardOf(charge) };
}

/**
 * The card of a card object, a card-type Source (`card` hash), or a charge (`payment_method_details.card`,
 * or `source` on older API versions). Only the four fields are copied, and only in their expected form.
 */
export function cardOf(object: Json): CardSummary | null {
  const details = isObject(object.payment_method_details) ? object.payment_method_details.card : null;
  const source = isObject(object.source) ? object.source : null;
  const candidates = [object.object === 'card' ? object : null, object.card, details, source, source?.card];
  for (const candidate of candidates) {
    if (!isObject(candidate)) continue;
    const { brand, last4 } = candidate;
    if (typeof brand !== 'string' || typeof last4 !== 'string' || !/^\d{4}$/.test(last4)) continue;
    return {
      brand: brand.slice(0, 32),
      last4,
      expMonth: integer(candidate.exp_month),
      expYear: integer(candidate.exp_year),
    };
  }
  return null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
