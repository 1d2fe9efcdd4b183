import { REFUND_METADATA } from '@ledgerline/events';
import type { Column, SnapshotTable } from '../shared/snapshot-table';
import { refId } from '../shared/stripe-refs';
import { bool, type CardSummary, cardSummary, type Json, listData, num, obj, str, time } from '../shared/stripe-values';

/** How a payment was paid: the method's type and, for cards, what support may see of the card. */
export type PaymentMethodSummary = { type: string | null } & Partial<
  Pick<CardSummary, 'brand' | 'last4' | 'expMonth' | 'expYear'>
>;

/** The charges table's own columns (besides the bookkeeping ones), typed to the letter for its view. */
export const chargesColumns = [
  { name: 'customer_stripe_id', type: 'text' },
  { name: 'payment_intent_id', type: 'text' },
  { name: 'invoice_id', type: 'text' },
  { name: 'amount', type: 'bigint' },
  { name: 'amount_captured', type: 'bigint' },
  { name: 'amount_refunded', type: 'bigint' },
  { name: 'currency', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'paid', type: 'boolean' },
  { name: 'refunded', type: 'boolean' },
  { name: 'disputed', type: 'boolean' },
  { name: 'failure_code', type: 'text' },
  { name: 'failure_message', type: 'text' },
  { name: 'payment_method_id', type: 'text' },
  { name: 'payment_method', type: 'jsonb' },
  { name: 'receipt_url', type: 'text' },
  { name: 'receipt_number', type: 'text' },
  { name: 'description', type: 'text' },
  { name: 'livemode', type: 'boolean' },
  { name: 'stripe_created', type: 'timestamptz' },
] as const satisfies readonly Column[];

export const chargesTable: SnapshotTable = {
  table: 'charges',
  objectTypes: ['charge'],
  columns: chargesColumns,
  toRow(charge) {
    return {
      customer_stripe_id: refId(charge.customer),
      payment_intent_id: refId(charge.payment_intent),
      invoice_id: refId(charge.invoice),
      amount: num(charge.amount),
      amount_captured: num(charge.amount_captured),
      amount_refunded: num(charge.amount_refunded),
      currency: str(charge.currency),
      status: str(charge.status),
      paid: bool(charge.paid),
      refunded: bool(charge.refunded),
      disputed: bool(charge.disputed),
      failure_code: str(charge.failure_code),
      failure_message: str(charge.failure_message),
      payment_method_id: refId(charge.payment_method) ?? refId(obj(charge.source)?.id),
      payment_method: paymentMethodSummary(charge),
      receipt_url: str(charge.receipt_url),
      receipt_number: str(charge.receipt_number),
      description: str(charge.description),
      livemode: bool(charge.livemode),
      stripe_created: time(charge.created),
    };
  },
};

/** The method a charge was paid with: its type and, for cards, brand, last4 and expiry only. */
function paymentMethodSummary(charge: Json): PaymentMethodSummary | null {
  const details = obj(charge.payment_method_details);
  if (details) {
    const type = str(details.type);
    const card = type ? obj(details[type]) : null;
    return { type, ...(type === 'card' || card?.last4 ? pickCard(card) : {}) };
  }
  const source = obj(charge.source);
  if (source?.object === 'card') return { type: 'card', ...pickCard(source) };
  return null;
}

function pickCard(card: Json | null): Omit<PaymentMethodSummary, 'type'> {
  const summary = cardSummary(card);
  return summary
    ? { brand: summary.brand, last4: summary.last4, expMonth: summary.expMonth, expYear: summary.expYear }
    : {};
}

/** The paymentIntents table's own columns (besides the bookkeeping ones), typed to the letter for its view. */
export const paymentIntentsColumns = [
  { name: 'customer_stripe_id', type: 'text' },
  { name: 'invoice_id', type: 'text' },
  { name: 'amount', type: 'bigint' },
  { name: 'amount_received', type: 'bigint' },
  { name: 'currency', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'latest_charge_id', type: 'text' },
  { name: 'payment_method_id', type: 'text' },
  { name: 'failure_code', type: 'text' },
  { name: 'failure_message', type: 'text' },
  { name: 'description', type: 'text' },
  { name: 'canceled_at', type: 'timestamptz' },
  { name: 'cancellation_reason', type: 'text' },
  { name: 'livemode', type: 'boolean' },
  { name: 'stripe_created', type: 'timestamptz' },
] as const satisfies readonly Column[];

export const paymentIntentsTable: SnapshotTable = {
  table: 'payment_intents',
  objectTypes: ['payment_intent'],
  columns: paymentIntentsColumns,
  toRow(intent) {
    const error = obj(intent.last_payment_error);
    const charges = listData(intent.charges);
    return {
      customer_stripe_id: refId(intent.customer),
      invoice_id: refId(intent.invoice),
      amount: num(intent.amount),
      amount_received: num(intent.amount_received),
      currency: str(intent.currency),
      status: str(intent.status),
      latest_charge_id: refId(intent.latest_charge) ?? str(charges.at(-1)?.id),
      payment_method_id: refId(intent.payment_method),
      failure_code: str(error?.code) ?? str(error?.decline_code),
      failure_message: str(error?.message),
      description: str(intent.description),
      canceled_at: time(intent.canceled_at),
      cancellation_reason: str(intent.cancellation_reason),
      livemode: bool(intent.livemode),
      stripe_created: time(intent.created),
    };
  },
};

/** The refunds table's own columns (besides the bookkeeping ones), typed to the letter for its view. */
export const refundsColumns = [
  { name: 'charge_id', type: 'text' },
  { name: 'payment_intent_id', type: 'text' },
  { name: 'amount', type: 'bigint' },
  { name: 'currency', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'reason', type: 'text' },
  { name: 'failure_reason', type: 'text' },
  { name: 'initiated_by', type: 'text' },
  { name: 'stripe_created', type: 'timestamptz' },
] as const satisfies readonly Column[];

/** Refunds, from refund events and from the refund lists older charges carry. */
export const refundsTable: SnapshotTable = {
  table: 'refunds',
  objectTypes: ['refund'],
  nestedIn: (object) => (object.object === 'charge' ? listData(object.refunds) : []),
  columns: refundsColumns,
  toRow(refund) {
    const metadata = obj(refund.metadata) ?? {};
    return {
      charge_id: refId(refund.charge),
      payment_intent_id: refId(refund.payment_intent),
      amount: num(refund.amount),
      currency: str(refund.currency),
      status: str(refund.status),
      reason: str(refund.reason),
      failure_reason: str(refund.failure_reason),
      initiated_by: str(metadata[REFUND_METADATA.commandEventId]) ? 'platform' : 'stripe',
      stripe_created: time(refund.created),
    };
  },
};

/** The disputes table's own columns (besides the bookkeeping ones), typed to the letter for its view. */
export const disputesColumns = [
  { name: 'charge_id', type: 'text' },
  { name: 'payment_intent_id', type: 'text' },
  { name: 'amount', type: 'bigint' },
  { name: 'currency', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'reason', type: 'text' },
  { name: 'evidence_due_by', type: 'timestamptz' },
  { name: 'funds', type: 'jsonb' },
  { name: 'stripe_created', type: 'timestamptz' },
] as const satisfies readonly Column[];

/** Disputes with their status and the funds they moved (withdrawal and reinstatement). */
export const disputesTable: SnapshotTable = {
  table: 'disputes',
  objectTypes: ['dispute'],
  columns: disputesColumns,
  toRow(dispute) {
    return {
      charge_id: refId(dispute.charge),
      payment_intent_id: refId(dispute.payment_intent),
      amount: num(dispute.amount),
      currency: str(dispute.currency),
      status: str(dispute.status),
      reason: str(dispute.reason),
      evidence_due_by: time(obj(dispute.evidence_details)?.due_by),
      funds: listData(dispute.balance_transactions).map((bt) => ({
        id: str(bt.id),
        type: str(bt.type) ?? str(bt.reporting_category),
        amount: num(bt.amount),
        fee: num(bt.fee),
        net: num(bt.net),
        currency: str(bt.currency),
        at: time(bt.created),
      })),
      stripe_created: time(dispute.created),
    };
  },
};
