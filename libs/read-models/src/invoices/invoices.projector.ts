import { StripeSnapshotProjector } from '../shared/stripe-snapshot-projector';
import { creditNotesTable, invoicesTable } from './invoices.table';
import { purchasesTable } from './purchases.table';

/** Invoices and credit notes with their lines, and the one-off purchases paid invoices record. */
export function invoicesProjector(): StripeSnapshotProjector {
  return new StripeSnapshotProjector({
    name: 'invoices',
    version: 2,
    eventTypePrefixes: ['invoice.', 'credit_note.'],
    snapshots: [invoicesTable, creditNotesTable],
    eventRows: [purchasesTable],
  });
}
