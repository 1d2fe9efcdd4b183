import { Link } from 'react-router';
import type { CardSummary, Payment } from '../../api/api-shapes';
import { RefundPaymentButton } from '../../payments/RefundPaymentButton';
import { can } from '../../session/capabilities';
import { useSession } from '../../session/session';
import { formatDateTime, formatMoney } from '../../ui/format';
import { StatusBadge } from '../../ui/StatusBadge';
import { StripeIdRef } from '../../ui/StripeIdRef';
import { customerPath } from '../customer-api';
import { ListView } from '../ListView';
import { usePagedList } from '../use-paged-list';
import { Table } from '../../ui/Table';

/** Charges and payment intents, newest first, with what was refunded and disputed of each. */
export function PaymentsTab({ customerId }: { customerId: string }) {
  const { principal } = useSession();
  const list = usePagedList<Payment>(customerPath(customerId, 'payments'));
  const mayRefund = can(principal?.role, 'subscriptions');
  return (
    <ListView list={list} empty="No payments.">
      {(payments) => (
        <Table aria-label="Payments">
          <thead>
            <tr>
              <th>Date</th>
              <th>Payment</th>
              <th>Amount</th>
              <th>Status</th>
              <th>Method</th>
              <th>Refunded</th>
              <th>Disputes</th>
              <th>Invoice</th>
              {mayRefund ? <th aria-label="Actions" /> : null}
            </tr>
          </thead>
          <tbody>
            {payments.map((payment) => {
              // A charge's own disputes; a payment intent's are its charges'.
              const disputes =
                payment.object === 'payment_intent'
                  ? payment.charges.flatMap((charge) => charge.disputes)
                  : payment.disputes;
              return (
                <tr key={payment.id} className={payment.status === 'failed' || disputes.length ? 'warn' : undefined}>
                  <td>{formatDateTime(payment.stripeCreated)}</td>
                  <td>
                    <StripeIdRef id={payment.id} place={payment} />
                    {payment.description ? <div className="muted">{payment.description}</div> : null}
                    {payment.failureMessage ? <div className="field-error">{payment.failureMessage}</div> : null}
                  </td>
                  <td>{formatMoney(payment.amount, payment.currency)}</td>
                  <td>
                    <StatusBadge status={payment.status} />
                  </td>
                  <td>{methodText(payment.paymentMethod)}</td>
                  <td>
                    {payment.amountRefunded ? formatMoney(payment.amountRefunded, payment.currency) : '—'}
                    {payment.pendingRefunds?.length ? (
                      <div className="muted">
                        {formatMoney(
                          payment.pendingRefunds.reduce((sum, refund) => sum + refund.amount, 0),
                          payment.currency,
                        )}{' '}
                        pending
                      </div>
                    ) : null}
                  </td>
                  <td>
                    {disputes.length
                      ? disputes.map((dispute) => (
                          <div key={dispute.id}>
                            {formatMoney(dispute.amount, dispute.currency)} <StatusBadge status={dispute.status} />
                          </div>
                        ))
                      : '—'}
                  </td>
                  <td>
                    {payment.invoiceId ? (
                      <StripeIdRef
                        id={payment.invoiceId}
                        place={payment}
                        link={
                          <Link to={`${customerPath(customerId)}?tab=invoices`} title="The customer's invoices">
                            <code>{payment.invoiceId}</code>
                          </Link>
                        }
                      />
                    ) : (
                      '—'
                    )}
                  </td>
                  {mayRefund ? (
                    <td>
                      <RefundPaymentButton payment={payment} onRefunded={list.reload} />
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </ListView>
  );
}

export function methodText(method: CardSummary | null | undefined): string {
  if (!method) return '—';
  if (method.last4) return `${method.brand ?? method.type ?? 'card'} •••• ${method.last4}`;
  return method.type ?? '—';
}
