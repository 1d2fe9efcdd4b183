import type { Column, SnapshotTable } from '../shared/snapshot-table';
import { refId } from '../shared/stripe-refs';
import { bool, cardSummary, type Json, num, obj, str, time } from '../shared/stripe-values';

/** The paymentMethods table's own columns (besides the bookkeeping ones), typed to the letter for its view. */
export const paymentMethodsColumns = [
  { name: 'customer_stripe_id', type: 'text' },
  { name: 'type', type: 'text' },
  { name: 'brand', type: 'text' },
  { name: 'last4', type: 'text' },
  { name: 'exp_month', type: 'integer' },
  { name: 'exp_year', type: 'integer' },
  { name: 'wallet', type: 'text' },
  { name: 'livemode', type: 'boolean' },
  { name: 'stripe_created', type: 'timestamptz' },
] as const satisfies readonly Column[];

/**
 * Payment methods (`pm_`) and the older card sources (`card_`, `src_`) per customer. Only the card's
 * brand, last4 and expiry are kept. A detached method has no customer any more and leaves the list.
 */
export const paymentMethodsTable: SnapshotTable = {
  table: 'payment_methods',
  objectTypes: ['payment_method', 'card', 'source'],
  columns: paymentMethodsColumns,
  toRow(method) {
    const card = cardOf(method);
    const summary = cardSummary(card);
    return {
      customer_stripe_id: refId(method.customer),
      type:
        method.object === 'payment_method' ? str(method.type) : method.object === 'card' ? 'card' : str(method.type),
      brand: str(summary?.brand),
      last4: str(summary?.last4),
      exp_month: num(summary?.expMonth),
      exp_year: num(summary?.expYear),
      wallet: str(obj(card?.wallet)?.type),
      livemode: bool(method.livemode),
      stripe_created: time(method.created),
    };
  },
};

function cardOf(method: Json): Json | null {
  if (method.object === 'card') return method;
  return obj(method.card);
}
