import type { DataSource } from 'typeorm';
import { type CustomerRef, type Page, type Paged, paged } from '../shared/paging';
import { type RowView, rowView } from '../shared/row-view';
import { creditNotesColumns, invoicesColumns } from './invoices.table';

export type InvoiceView = RowView<typeof invoicesColumns>;
export type CreditNoteView = RowView<typeof creditNotesColumns>;
/** GET /invoices/:id: the invoice with its credit notes. */
export type InvoiceDetailView = InvoiceView & { creditNotes: CreditNoteView[] };

/** An invoice with its lines and its credit notes (with theirs); null when unknown. */
export async function findInvoice(dataSource: DataSource, id: string): Promise<InvoiceDetailView | null> {
  const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM invoices WHERE id = $1`, [id]);
  if (!rows[0]) return null;
  const notes: Record<string, unknown>[] = await dataSource.query(
    `SELECT * FROM credit_notes WHERE invoice_id = $1 ORDER BY stripe_created, id`,
    [id],
  );
  return { ...invoiceView(rows[0]), creditNotes: notes.map((note) => rowView(note, creditNotesColumns)) };
}

export async function listCustomerInvoices(
  dataSource: DataSource,
  customer: CustomerRef,
  page: Page,
): Promise<Paged<InvoiceView>> {
  return listInvoicesWhere(dataSource, 'customer_stripe_id = ANY($1)', customer.stripeIds, page);
}

/**
 * A subscription's invoices, newest first. Invoices name the Stripe subscription (`sub_`), so a
 * subscription the platform started is matched by the Stripe id it was linked to.
 */
export async function listSubscriptionInvoices(
  dataSource: DataSource,
  stripeSubscriptionId: string,
  page: Page,
): Promise<Paged<InvoiceView>> {
  return listInvoicesWhere(dataSource, 'subscription_id = $1', stripeSubscriptionId, page);
}

/** Which invoices a list holds: SQL spliced into the query, so only these constants, never input. */
type InvoiceCondition = 'customer_stripe_id = ANY($1)' | 'subscription_id = $1';

/** One page of the invoices `condition` matches (`$1` being `value`), newest first. */
function listInvoicesWhere(
  dataSource: DataSource,
  condition: InvoiceCondition,
  value: unknown,
  page: Page,
): Promise<Paged<InvoiceView>> {
  return paged(
    page,
    (limit, offset) =>
      dataSource.query(
        `SELECT * FROM invoices WHERE ${condition}
          ORDER BY stripe_created DESC NULLS LAST, id LIMIT $2 OFFSET $3`,
        [value, limit, offset],
      ),
    invoiceView,
  );
}

function invoiceView(row: Record<string, unknown>): InvoiceView {
  return rowView(row, invoicesColumns);
}
