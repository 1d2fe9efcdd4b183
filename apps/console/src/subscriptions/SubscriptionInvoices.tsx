import { useState } from 'react';
import type { Invoice, Paged, Payment } from '../api/api-shapes';
import { useApi } from '../api/use-api';
import { RefundPaymentButton } from '../payments/RefundPaymentButton';
import { formatDate, formatMoney } from '../ui/format';
import { Loading } from '../ui/Loading';
import { OffsetPager } from '../ui/OffsetPager';
import { StatusBadge } from '../ui/StatusBadge';
import { periodLabel } from './subscription-format';

const PAGE_SIZE = 10;

/** The subscription's invoices (GET /subscriptions/:id/invoices), a paid one's payment refundable. */
export function SubscriptionInvoices({ subscriptionId }: { subscriptionId: string }) {
  const [offset, setOffset] = useState(0);
  const invoices = useApi<Paged<Invoice>>(
    (api, signal) =>
      api.get(`/subscriptions/${encodeURIComponent(subscriptionId)}/invoices`, {
        query: { limit: PAGE_SIZE, offset },
        signal,
      }),
    [subscriptionId, offset],
  );
  return (
    <section className="card sub-invoices" aria-labelledby="invoices">
      <h2 id="invoices">Invoices</h2>
      <Loading loaded={invoices}>
        {(page) =>
          page.data.length === 0 && offset === 0 ? (
            <p className="muted">No invoices yet.</p>
          ) : (
            <>
              <table aria-label="Invoices">
                <thead>
                  <tr>
                    <th>Invoice</th>
                    <th>Status</th>
                    <th>Total</th>
                    <th>Paid</th>
                    <th>Period</th>
                    <th>Due · paid</th>
                    <th>Payment</th>
                  </tr>
                </thead>
                <tbody>
                  {page.data.map((invoice) => (
                    <tr key={invoice.id}>
                      <td>
                        {invoice.hostedInvoiceUrl ? (
                          <a href={invoice.hostedInvoiceUrl} target="_blank" rel="noreferrer">
                            {invoice.number ?? invoice.id}
                          </a>
                        ) : (
                          (invoice.number ?? invoice.id)
                        )}
                        <div className="muted">{formatDate(invoice.stripeCreated)}</div>
                      </td>
                      <td>
                        <StatusBadge status={invoice.status} />
                      </td>
                      <td>{formatMoney(invoice.total, invoice.currency)}</td>
                      <td>{formatMoney(invoice.amountPaid, invoice.currency)}</td>
                      <td>{periodLabel(invoice.periodStart, invoice.periodEnd)}</td>
                      <td>
                        {formatDate(invoice.dueDate)} · {formatDate(invoice.paidAt)}
                      </td>
                      <td>
                        <InvoicePayment invoice={invoice} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <OffsetPager
                label="Invoice pages"
                offset={offset}
                page={page}
                pageSize={PAGE_SIZE}
                onOffset={setOffset}
                previous="Newer"
                next="Older"
              />
            </>
          )
        }
      </Loading>
    </section>
  );
}

/**
 * The payment of a paid invoice, with what is left to refund (GET /payments/:id: refunds already
 * made count). An invoice paid without a Stripe payment (offline, credit balance) has none.
 */
function InvoicePayment({ invoice }: { invoice: Invoice }) {
  const paymentId = invoice.paymentIntentId ?? invoice.chargeId;
  const payment = useApi<Payment>(
    paymentId && invoice.status === 'paid'
      ? (api, signal) => api.get(`/payments/${encodeURIComponent(paymentId)}`, { signal })
      : null,
    [paymentId, invoice.status],
  );
  if (!paymentId) return <span className="muted">—</span>;
  if (invoice.status !== 'paid') return <span className="muted">{paymentId}</span>;
  if (payment.error) return <span className="muted">{paymentId} (not known yet)</span>;
  if (!payment.data) return <span className="muted">{paymentId}</span>;
  const refunded = payment.data.amountRefunded ?? 0;
  return (
    <div className="sub-payment">
      <span>
        {paymentId}
        {refunded > 0 ? (
          <span className="muted"> · {formatMoney(refunded, payment.data.currency)} refunded</span>
        ) : null}
      </span>
      <RefundPaymentButton payment={payment.data} onRefunded={payment.reload} />
    </div>
  );
}
