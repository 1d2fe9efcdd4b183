import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/api-error';
import type { Invoice, Paged, Payment } from '../api/api-shapes';
import { useApi } from '../api/use-api';
import { RefundPaymentButton } from '../payments/RefundPaymentButton';
import { formatDate, formatMoney } from '../ui/format';
import { Loading } from '../ui/Loading';
import { OffsetPager } from '../ui/OffsetPager';
import { StatusBadge } from '../ui/StatusBadge';
import { StripeIdRef } from '../ui/StripeIdRef';
import { periodLabel } from './subscription-format';
import { Table } from '../ui/Table';

const PAGE_SIZE = 10;

/** The subscription's invoices (GET /subscriptions/:id/invoices), a paid one's payment refundable. */
export function SubscriptionInvoices({
  subscriptionId,
  customerId = null,
}: {
  subscriptionId: string;
  /** The platform customer, whose Payments tab a payment id links to. */
  customerId?: string | null;
}) {
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
              <Table aria-label="Invoices">
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
                        <div className="muted">
                          {formatDate(invoice.stripeCreated)} · <StripeIdRef id={invoice.id} place={invoice} />
                        </div>
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
                        <InvoicePayment invoice={invoice} customerId={customerId} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
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
function InvoicePayment({ invoice, customerId }: { invoice: Invoice; customerId: string | null }) {
  const candidates = [invoice.paymentIntentId, invoice.chargeId].filter((id): id is string => Boolean(id));
  const paymentId = candidates[0] ?? null;
  // The payment as the customer's Payments tab knows it: the intent, else its charge (an intent
  // Stripe never sent a webhook about is not in the read model, while its charge is).
  const payment = useApi<Payment>(
    candidates.length && invoice.status === 'paid'
      ? async (api, signal) => {
          for (const [index, id] of candidates.entries()) {
            try {
              return await api.get<Payment>(`/payments/${encodeURIComponent(id)}`, { signal });
            } catch (error) {
              if (!(error instanceof ApiError && error.status === 404) || index === candidates.length - 1) throw error;
            }
          }
          throw new Error('unreachable');
        }
      : null,
    [invoice.paymentIntentId, invoice.chargeId, invoice.status],
  );
  if (!paymentId) return <span className="muted">—</span>;
  if (invoice.status !== 'paid') return <span className="muted">{paymentId}</span>;
  if (payment.error) return <span className="muted">{paymentId} (not known yet)</span>;
  if (!payment.data) return <span className="muted">{paymentId}</span>;
  const refunded = payment.data.amountRefunded ?? 0;
  return (
    <div className="sub-payment">
      <span>
        <StripeIdRef
          id={payment.data.id}
          place={payment.data}
          link={
            customerId ? (
              <Link to={`/customers/${encodeURIComponent(customerId)}?tab=payments`} title="The customer's payments">
                <code>{payment.data.id}</code>
              </Link>
            ) : undefined
          }
        />
        {refunded > 0 ? (
          <span className="muted"> · {formatMoney(refunded, payment.data.currency)} refunded</span>
        ) : null}
      </span>
      <RefundPaymentButton payment={payment.data} onRefunded={payment.reload} />
    </div>
  );
}
