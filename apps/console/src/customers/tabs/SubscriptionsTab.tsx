import { Link } from 'react-router';
import type { SubscriptionItem } from '../../api/api-shapes';
import { can } from '../../session/capabilities';
import { useSession } from '../../session/session';
import { formatDate, formatMoney } from '../../ui/format';
import { StatusBadge } from '../../ui/StatusBadge';
import { customerPath } from '../customer-api';
import type { CustomerSubscription } from '../customer-types';
import { ListView } from '../ListView';
import { usePagedList } from '../use-paged-list';

export function SubscriptionsTab({ customerId }: { customerId: string }) {
  const { principal } = useSession();
  const list = usePagedList<CustomerSubscription>(customerPath(customerId, 'subscriptions'));
  const linked = can(principal?.role, 'subscriptions');
  return (
    <ListView list={list} empty="No subscriptions.">
      {(subscriptions) => (
        <table aria-label="Subscriptions">
          <thead>
            <tr>
              <th>Subscription</th>
              <th>Status</th>
              <th>Plan</th>
              <th>Started</th>
              <th>Current period ends</th>
              <th>Cancellation</th>
              <th>Shipments left</th>
            </tr>
          </thead>
          <tbody>
            {subscriptions.map((subscription) => (
              <tr key={subscription.id}>
                <td>
                  {linked ? (
                    <Link to={`/subscriptions/${encodeURIComponent(subscription.id)}`}>
                      {subscription.stripeId ?? subscription.id}
                    </Link>
                  ) : (
                    <code>{subscription.stripeId ?? subscription.id}</code>
                  )}
                </td>
                <td>
                  <StatusBadge status={subscription.status} />
                </td>
                <td>{(subscription.items ?? []).map(itemText).join('; ') || '—'}</td>
                <td>{formatDate(subscription.startDate ?? subscription.stripeCreated)}</td>
                <td>{formatDate(subscription.currentPeriodEnd)}</td>
                <td>{cancellationText(subscription)}</td>
                <td>{subscription.shipmentsRemaining ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ListView>
  );
}

/** "Pro monthly: €20.00 / month × 2". */
function itemText(item: SubscriptionItem): string {
  const name = item.nickname ?? item.productId ?? item.priceId ?? 'item';
  const every = item.interval
    ? ` / ${item.intervalCount && item.intervalCount > 1 ? `${item.intervalCount} ` : ''}${item.interval}`
    : '';
  const quantity = item.quantity && item.quantity > 1 ? ` × ${item.quantity}` : '';
  return `${name}: ${formatMoney(item.unitAmount, item.currency)}${every}${quantity}`;
}

function cancellationText(subscription: CustomerSubscription): string {
  if (subscription.canceledAt) return `cancelled ${formatDate(subscription.canceledAt)}`;
  if (subscription.cancelAtPeriodEnd) return `ends ${formatDate(subscription.currentPeriodEnd)}`;
  return '—';
}
