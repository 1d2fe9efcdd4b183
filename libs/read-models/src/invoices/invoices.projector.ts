import { StripeSnapshotProjector } from '../shared/stripe-snapshot-projector';
import { creditNotesTable, invoicesTable } from './invoices.table';
import { purchasesTable } from './purchases.table';

/** Invoices and credit notes with their lines, and the one-off purchases paid invoices record. */
export function invoicesProjector(): StripeSnapshotProjector {
  return new StripeSnapshotProjector({
    name: 'invoices',
    version: 2,
    handles: [
      'invoice.created',
      'invoice.updated',
      'invoice.deleted',
      'invoice.finalized',
      'invoice.finalization_failed',
      'invoice.sent',
      'invoice.upcoming',
      'invoice.will_be_due',
      'invoice.overdue',
      'invoice.paid',
      'invoice.overpaid',
      'invoice.payment_succeeded',
      'invoice.payment_failed',
      'invoice.payment_action_required',
      'invoice.payment_attempt_required',
      'invoice.marked_uncollectible',
      'invoice.voided',
      'invoice.backfilled',
      'credit_note.created',
      'credit_note.updated',
      'credit_note.voided',
    ],
    snapshots: [invoicesTable, creditNotesTable],
    eventRows: [purchasesTable],
  });
}
