import { refId } from '../shared/stripe-refs';
import type { EntryDraft, Mapping } from './activity-entry';
import { day, listData, listWords, money, num, obj, str, type Json } from './format';

/**
 * invoice.paid and invoice.payment_succeeded both report one payment. Both are stored (an account
 * whose endpoint only listens to invoice.payment_succeeded still gets its entries); the query hides
 * the invoice.payment_succeeded ones of an invoice that also has an invoice.paid event.
 */
const invoicePaid: Mapping = ({ object }) => {
  const number = str(object.number);
  const amount = money(object.amount_paid, object.currency);
  const drafts: EntryDraft[] = [
    {
      kind: 'invoice_paid',
      summary: `Invoice ${number ? `${number} ` : ''}paid${amount ? ` (${amount})` : ''}`,
      details: invoiceDetails(object, object.amount_paid),
    },
  ];
  const reason = str(object.billing_reason);
  if (reason === 'subscription_cycle') drafts.push(renewal(object));
  else if (!refId(object.subscription) && !reason?.startsWith('subscription')) drafts.push(invoicePurchase(object));
  return drafts;
};

export const INVOICE_MAPPINGS: Record<string, Mapping> = {
  'invoice.created': ({ object }) => {
    const number = str(object.number);
    const amount = money(object.total ?? object.amount_due, object.currency);
    return [
      {
        kind: 'invoice_created',
        summary: `Invoice ${number ? `${number} ` : ''}created${amount ? ` for ${amount}` : ''}`,
        details: invoiceDetails(object, object.total ?? object.amount_due),
      },
    ];
  },
  'invoice.paid': invoicePaid,
  'invoice.payment_succeeded': invoicePaid,

  'invoice.payment_failed': ({ object }) => {
    const number = str(object.number);
    const amount = money(object.amount_due, object.currency);
    // The reason is only in the payload when the charge or payment intent came expanded.
    const reason =
      str(obj(object.charge)?.failure_message) ?? str(obj(obj(object.payment_intent)?.last_payment_error)?.message);
    const next = day(object.next_payment_attempt);
    let summary = `Payment failed for invoice${number ? ` ${number}` : ''}${amount ? ` (${amount})` : ''}`;
    if (reason) summary += `: ${reason.replace(/[.\s]+$/, '')}`; // Stripe's messages end in a full stop
    if (next) summary += `; next attempt ${next}`;
    return [
      {
        kind: 'payment_failed',
        summary,
        details: {
          ...invoiceDetails(object, object.amount_due),
          reason,
          attemptCount: num(object.attempt_count),
          nextPaymentAttempt: num(object.next_payment_attempt),
        },
      },
    ];
  },

  'checkout.session.completed': ({ object }) => checkoutPurchase(object),
  // A session paid by a delayed method completes unpaid; the purchase is when this one arrives.
  'checkout.session.async_payment_succeeded': ({ object }) => checkoutPurchase(object),
};

function invoiceDetails(invoice: Json, amount: unknown): Json {
  return {
    number: str(invoice.number),
    amount: num(amount),
    currency: str(invoice.currency),
    billingReason: str(invoice.billing_reason),
    subscription: refId(invoice.subscription),
  };
}

function renewal(invoice: Json): EntryDraft {
  const line = listData(invoice.lines).find((l) => l.type === 'subscription' || refId(l.subscription) !== null);
  const until = num(obj(line?.period)?.end);
  const when = day(until);
  return {
    kind: 'subscription_renewed',
    summary: when ? `Subscription renewed until ${when}` : 'Subscription renewed',
    details: { subscription: refId(invoice.subscription), periodEnd: until },
  };
}

function invoicePurchase(invoice: Json): EntryDraft {
  const items = listData(invoice.lines)
    .map(lineLabel)
    .filter((l): l is string => l !== null);
  return purchase(items, invoice.amount_paid, invoice.currency, 'one-off items');
}

/**
 * Only payment-mode sessions are purchases (subscription mode is reported by the subscription,
 * setup mode buys nothing). A session that created an invoice is reported by that invoice's
 * invoice.paid instead, so one purchase gives one entry.
 */
function checkoutPurchase(session: Json): EntryDraft[] {
  if (session.mode !== 'payment' || session.payment_status === 'unpaid' || refId(session.invoice)) return [];
  const items = listData(session.line_items)
    .map(lineLabel)
    .filter((l): l is string => l !== null);
  return [purchase(items, session.amount_total, session.currency, 'items at checkout')];
}

function purchase(items: string[], amount: unknown, currency: unknown, fallback: string): EntryDraft {
  const paid = money(amount, currency);
  return {
    kind: 'product_purchased',
    summary: `Purchased ${items.length ? listWords(items) : fallback}${paid ? ` (${paid})` : ''}`,
    details: { items, amount: num(amount), currency: str(currency) },
  };
}

/** An invoice line or checkout line item: its description, else its price's nickname or product. */
function lineLabel(line: Json): string | null {
  const price = obj(line.price) ?? obj(line.plan);
  // API 2025-03-31 moved a line's price to `pricing.price_details` (ids only).
  const details = obj(obj(line.pricing)?.price_details);
  return (
    str(line.description) ??
    str(price?.nickname) ??
    str(obj(price?.product)?.name) ??
    refId(price?.product) ??
    refId(details?.product)
  );
}
