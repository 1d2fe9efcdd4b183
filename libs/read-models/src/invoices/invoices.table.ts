import type { Column, SnapshotTable } from '../shared/snapshot-table';
import { refId } from '../shared/stripe-refs';
import { bool, type Json, listData, num, obj, str, time } from '../shared/stripe-values';

/** The invoices table's own columns (besides the bookkeeping ones), typed to the letter for its view. */
export const invoicesColumns = [
  { name: 'customer_stripe_id', type: 'text' },
  { name: 'subscription_id', type: 'text' },
  { name: 'number', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'currency', type: 'text' },
  { name: 'subtotal', type: 'bigint' },
  { name: 'tax', type: 'bigint' },
  { name: 'discount_amount', type: 'bigint' },
  { name: 'total', type: 'bigint' },
  { name: 'amount_due', type: 'bigint' },
  { name: 'amount_paid', type: 'bigint' },
  { name: 'amount_remaining', type: 'bigint' },
  { name: 'due_date', type: 'timestamptz' },
  { name: 'attempt_count', type: 'integer' },
  { name: 'next_payment_attempt', type: 'timestamptz' },
  { name: 'hosted_invoice_url', type: 'text' },
  { name: 'invoice_pdf', type: 'text' },
  { name: 'period_start', type: 'timestamptz' },
  { name: 'period_end', type: 'timestamptz' },
  { name: 'billing_reason', type: 'text' },
  { name: 'collection_method', type: 'text' },
  { name: 'payment_intent_id', type: 'text' },
  { name: 'charge_id', type: 'text' },
  { name: 'paid_at', type: 'timestamptz' },
  { name: 'lines', type: 'jsonb' },
  { name: 'livemode', type: 'boolean' },
  { name: 'stripe_created', type: 'timestamptz' },
] as const satisfies readonly Column[];

/** Invoices with their lines, in support's terms. */
export const invoicesTable: SnapshotTable = {
  table: 'invoices',
  objectTypes: ['invoice'],
  columns: invoicesColumns,
  toRow(invoice) {
    const transitions = obj(invoice.status_transitions);
    return {
      customer_stripe_id: refId(invoice.customer),
      subscription_id: refId(invoice.subscription),
      number: str(invoice.number),
      status: str(invoice.status),
      currency: str(invoice.currency),
      subtotal: num(invoice.subtotal),
      tax: num(invoice.tax) ?? sumAmounts(invoice.total_taxes) ?? sumAmounts(invoice.total_tax_amounts),
      discount_amount: sumAmounts(invoice.total_discount_amounts),
      total: num(invoice.total),
      amount_due: num(invoice.amount_due),
      amount_paid: num(invoice.amount_paid),
      amount_remaining: num(invoice.amount_remaining),
      due_date: time(invoice.due_date),
      attempt_count: num(invoice.attempt_count),
      next_payment_attempt: time(invoice.next_payment_attempt),
      hosted_invoice_url: str(invoice.hosted_invoice_url),
      invoice_pdf: str(invoice.invoice_pdf),
      period_start: time(invoice.period_start),
      period_end: time(invoice.period_end),
      billing_reason: str(invoice.billing_reason),
      collection_method: str(invoice.collection_method),
      payment_intent_id: refId(invoice.payment_intent),
      charge_id: refId(invoice.charge),
      paid_at: time(transitions?.paid_at),
      lines: listData(invoice.lines).map(invoiceLine),
      livemode: bool(invoice.livemode),
      stripe_created: time(invoice.created),
    };
  },
};

export function invoiceLine(line: Json): Json {
  const price = obj(line.price);
  const plan = obj(line.plan);
  const period = obj(line.period);
  return {
    id: str(line.id),
    description: str(line.description),
    amount: num(line.amount),
    currency: str(line.currency),
    quantity: num(line.quantity),
    priceId: str(price?.id) ?? (typeof line.price === 'string' ? line.price : null),
    productId: refId(price?.product) ?? refId(plan?.product),
    subscriptionId: refId(line.subscription),
    proration: bool(line.proration),
    periodStart: time(period?.start),
    periodEnd: time(period?.end),
  };
}

function sumAmounts(value: unknown): number | null {
  if (!Array.isArray(value)) return null;
  return value.reduce<number>((sum, entry) => sum + (num(obj(entry)?.amount) ?? 0), 0);
}

/** The creditNotes table's own columns (besides the bookkeeping ones), typed to the letter for its view. */
export const creditNotesColumns = [
  { name: 'invoice_id', type: 'text' },
  { name: 'customer_stripe_id', type: 'text' },
  { name: 'number', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'reason', type: 'text' },
  { name: 'type', type: 'text' },
  { name: 'amount', type: 'bigint' },
  { name: 'currency', type: 'text' },
  { name: 'refund_id', type: 'text' },
  { name: 'lines', type: 'jsonb' },
  { name: 'stripe_created', type: 'timestamptz' },
] as const satisfies readonly Column[];

/** Credit notes with their lines. */
export const creditNotesTable: SnapshotTable = {
  table: 'credit_notes',
  objectTypes: ['credit_note'],
  columns: creditNotesColumns,
  toRow(note) {
    return {
      invoice_id: refId(note.invoice),
      customer_stripe_id: refId(note.customer),
      number: str(note.number),
      status: str(note.status),
      reason: str(note.reason),
      type: str(note.type),
      amount: num(note.amount) ?? num(note.total),
      currency: str(note.currency),
      refund_id: refId(note.refund),
      lines: listData(note.lines).map((line) => ({
        id: str(line.id),
        description: str(line.description),
        amount: num(line.amount),
        quantity: num(line.quantity),
        invoiceLineItem: refId(line.invoice_line_item),
        type: str(line.type),
      })),
      stripe_created: time(note.created),
    };
  },
};
