import type { PaymentMethod } from '../../api/api-shapes';
import { formatDate } from '../../ui/format';
import { customerPath } from '../customer-api';
import { ListView } from '../ListView';
import { useWholeList } from '../use-paged-list';
import { Table } from '../../ui/Table';

/**
 * The customer's cards and other methods, the default first. The API says which run out soon
 * (within 30 days, or in their last month) and which have: those rows are marked, so support sees
 * why a renewal may fail before it does.
 */
export function PaymentMethodsTab({ customerId }: { customerId: string }) {
  const list = useWholeList<PaymentMethod>(customerPath(customerId, 'payment-methods'));
  const expiring = list.rows?.filter((method) => method.expiringSoon || method.expired).length ?? 0;
  return (
    <ListView list={list} empty="No payment methods.">
      {(methods) => (
        <>
          {expiring > 0 ? (
            <p className="notice-warn">
              {expiring === 1 ? 'One payment method is' : `${expiring} payment methods are`} expiring or expired.
            </p>
          ) : null}
          <Table aria-label="Payment methods">
            <thead>
              <tr>
                <th>Method</th>
                <th>Expires</th>
                <th>State</th>
                <th>Id</th>
                <th>Added</th>
              </tr>
            </thead>
            <tbody>
              {methods.map((method) => (
                <tr key={method.id} className={method.expiringSoon || method.expired ? 'warn' : undefined}>
                  <td>
                    {method.last4
                      ? `${method.brand ?? method.type ?? 'card'} •••• ${method.last4}`
                      : (method.type ?? '—')}
                    {method.wallet ? <span className="muted"> ({method.wallet.replace(/_/g, ' ')})</span> : null}
                  </td>
                  <td>{expiryText(method)}</td>
                  <td>
                    {method.isDefault ? <span className="badge status-active">Default</span> : null}{' '}
                    {method.expired ? <span className="badge status-canceled">Expired</span> : null}
                    {method.expiringSoon ? <span className="badge status-past_due">Expiring</span> : null}
                  </td>
                  <td>
                    <code>{method.id}</code>
                  </td>
                  <td>{formatDate(method.stripeCreated)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </ListView>
  );
}

/** "04/2027"; cards are valid through the last day of that month. */
function expiryText(method: PaymentMethod): string {
  if (!method.expMonth || !method.expYear) return '—';
  return `${String(method.expMonth).padStart(2, '0')}/${method.expYear}`;
}
