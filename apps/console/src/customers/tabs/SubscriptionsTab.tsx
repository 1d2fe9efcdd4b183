import { Link } from 'react-router';
import { can } from '../../session/capabilities';
import { useSession } from '../../session/session';
import { formatDate } from '../../ui/format';
import { StatusBadge } from '../../ui/StatusBadge';
import { useProductNames } from '../../subscriptions/PriceSelect';
import { itemLabel, shownStatus } from '../../subscriptions/subscription-format';
import { customerPath } from '../customer-api';
import type { CustomerSubscription } from '../customer-types';
import { ListView } from '../ListView';
import { usePagedList } from '../use-paged-list';
import { Table } from '../../ui/Table';

export function SubscriptionsTab({ customerId }: { customerId: string }) {
  const { principal } = useSession();
  const list = usePagedList<CustomerSubscription>(customerPath(customerId, 'subscriptions'));
  const linked = can(principal?.role, 'subscriptions');
  // The product's name, as the subscription list and page show it (its id until the catalog answers).
  const products = useProductNames();
  return (
    <ListView list={list} empty="No subscriptions.">
      {(subscriptions) => (
        <Table aria-label="Subscriptions">
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
                  <StatusBadge status={shownStatus(subscription)} />
                </td>
                <td>{(subscription.items ?? []).map((item) => itemLabel(item, products)).join('; ') || '—'}</td>
                <td>{formatDate(subscription.startDate ?? subscription.stripeCreated)}</td>
                <td>{formatDate(subscription.currentPeriodEnd)}</td>
                <td>{cancellationText(subscription)}</td>
                <td>{subscription.shipmentsRemaining ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </ListView>
  );
}

function cancellationText(subscription: CustomerSubscription): string {
  if (subscription.canceledAt) return `cancelled ${formatDate(subscription.canceledAt)}`;
  if (subscription.cancelAtPeriodEnd) return `ends ${formatDate(subscription.currentPeriodEnd)}`;
  return '—';
}
