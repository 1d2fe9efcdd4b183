import type { EventRowsTable } from '../shared/event-rows-table';
import { refId } from '../shared/stripe-refs';
import { listData, time } from '../shared/stripe-values';
import { invoiceLine } from './invoices.table';

/**
 * One-off purchases: the products on a paid invoice that belongs to no subscription. Taken from
 * `invoice.paid` only (Stripe sends one per invoice), so each purchase has one granting event.
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
    if (event.type !== 'invoice.paid' || invoice.object !== 'invoice' || refId(invoice.subscription)) return [];
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
      purchased_at: time(payload.created),
    }));
  },
};
