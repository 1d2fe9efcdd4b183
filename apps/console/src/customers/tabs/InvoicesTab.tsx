import type { Invoice } from '../../api/api-shapes';
import { formatDate, formatMoney } from '../../ui/format';
import { StatusBadge } from '../../ui/StatusBadge';
import { customerPath } from '../customer-api';
import { ListView } from '../ListView';
import { usePagedList } from '../use-paged-list';
import { StripeIdRef } from '../../ui/StripeIdRef';
import { Table } from '../../ui/Table';

/** Invoices, newest first; an open one Stripe failed to collect is marked. */
export function InvoicesTab({ customerId }: { customerId: string }) {
  const list = usePagedList<Invoice>(customerPath(customerId, 'invoices'));
  return (
    <ListView list={list} empty="No invoices.">
      {(invoices) => (
        <Table aria-label="Invoices">
          <thead>
            <tr>
              <th>Number</th>
              <th>Date</th>
              <th>Status</th>
              <th>Total</th>
              <th>Paid</th>
              <th>Remaining</th>
              <th>Due</th>
              <th>Collection</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {invoices.map((invoice) => {
              const failing = invoice.status === 'open' && (invoice.attemptCount ?? 0) > 0;
              return (
                <tr key={invoice.id} className={failing ? 'warn' : undefined}>
                  <td>
                    {invoice.hostedInvoiceUrl ? (
                      <a href={invoice.hostedInvoiceUrl} target="_blank" rel="noreferrer noopener">
                        {invoice.number ?? invoice.id}
                      </a>
                    ) : (
                      (invoice.number ?? invoice.id)
                    )}
                    <div className="muted">
                      <StripeIdRef id={invoice.id} place={invoice} />
                    </div>
                  </td>
                  <td>{formatDate(invoice.stripeCreated)}</td>
                  <td>
                    <StatusBadge status={invoice.status} />
                  </td>
                  <td>{formatMoney(invoice.total, invoice.currency)}</td>
                  <td>{formatMoney(invoice.amountPaid, invoice.currency)}</td>
                  <td>{formatMoney(invoice.amountRemaining, invoice.currency)}</td>
                  <td>{formatDate(invoice.dueDate)}</td>
                  <td>{collectionText(invoice)}</td>
                  <td>{invoice.billingReason?.replace(/_/g, ' ') ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </ListView>
  );
}

function collectionText(invoice: Invoice): string {
  if (invoice.status === 'paid') return invoice.paidAt ? `paid ${formatDate(invoice.paidAt)}` : 'paid';
  if (!invoice.attemptCount || invoice.status !== 'open') return '—';
  const attempts = `${invoice.attemptCount} failed attempt${invoice.attemptCount === 1 ? '' : 's'}`;
  return invoice.nextPaymentAttempt ? `${attempts}, next ${formatDate(invoice.nextPaymentAttempt)}` : attempts;
}
