import type { EventRowsTable } from '../shared/event-rows-table';
import { refId } from '../shared/stripe-refs';
import { listData, obj, time } from '../shared/stripe-values';
import { invoiceLine } from './invoices.table';

/**
 * One-off purchases: the products on a paid invoice that belongs to no subscription. Taken from
 * `invoice.paid` (Stripe sends one per invoice), or from a backfilled invoice that was already paid
 * when it was imported: its webhook came before Ledgerline did. The first of the two keeps the row.
 */
export const purchasesTable: EventRowsTable = {
  table: 'purchases',
  key: ['invoice_id', 'product_id'],
  columns: [
    { name: 'invoice_id', type: 'text' },
    { name: 'product_id', type: 'text' },
    { name: 'customer_stripe_id', type: 'text' },
    { name: 'stripe_event_id', type: 'text' },
    { name: 'store_event_id', type: 'uuid' },
    { name: 'purchased_at', type: 'timestamptz' },
  ],
  rowsOf(invoice, { event, payload }) {
    const paid = event.type === 'invoice.paid' || (event.type === 'invoice.backfilled' && invoice.status === 'paid');
    if (!paid || invoice.object !== 'invoice' || refId(invoice.subscription)) return [];
    // A backfilled invoice is recorded long after it was paid: the payment time is when it was bought.
    const paidAt = event.type === 'invoice.backfilled' ? obj(invoice.status_transitions)?.paid_at : undefined;
    const products = new Set(
      listData(invoice.lines)
        .map(invoiceLine)
        .filter((line) => line.subscriptionId === null)
        .map((line) => line.productId)
        .filter((id): id is string => typeof id === 'string'),
    );
    return [...products].sort().map((productId) => ({
      invoice_id: invoice.id,
      product_id: productId,
      customer_stripe_id: refId(invoice.customer),
      stripe_event_id: payload.id ?? event.id,
      store_event_id: event.id,
      purchased_at: time(paidAt ?? payload.created),
    }));
  },
};
