import type { DataSource } from 'typeorm';
import { type CustomerRef, type Page, type Paged, paged } from '../shared/paging';
import { rowView } from '../shared/row-view';
import { creditNotesTable, invoicesTable } from './invoices.table';

export type InvoiceView = Record<string, unknown> & { id: string };

/** An invoice with its lines and its credit notes (with theirs); null when unknown. */
export async function findInvoice(dataSource: DataSource, id: string): Promise<InvoiceView | null> {
  const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM invoices WHERE id = $1`, [id]);
  if (!rows[0]) return null;
  const notes: Record<string, unknown>[] = await dataSource.query(
    `SELECT * FROM credit_notes WHERE invoice_id = $1 ORDER BY stripe_created, id`,
    [id],
  );
  return { ...invoiceView(rows[0]), creditNotes: notes.map((note) => rowView(note, creditNotesTable.columns)) };
}

export async function listCustomerInvoices(
  dataSource: DataSource,
  customer: CustomerRef,
  page: Page,
): Promise<Paged<InvoiceView>> {
  return paged(
    page,
    (limit, offset) =>
      dataSource.query(
        `SELECT * FROM invoices WHERE customer_stripe_id = ANY($1)
          ORDER BY stripe_created DESC NULLS LAST, id LIMIT $2 OFFSET $3`,
        [customer.stripeIds, limit, offset],
      ),
    invoiceView,
  );
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
  return paged(
    page,
    (limit, offset) =>
      dataSource.query(
        `SELECT * FROM invoices WHERE subscription_id = $1
          ORDER BY stripe_created DESC NULLS LAST, id LIMIT $2 OFFSET $3`,
        [stripeSubscriptionId, limit, offset],
      ),
    invoiceView,
  );
}

function invoiceView(row: Record<string, unknown>): InvoiceView {
  return rowView(row, invoicesTable.columns) as InvoiceView;
}
