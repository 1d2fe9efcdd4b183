import { Link } from 'react-router';
import { useApi } from '../api/use-api';
import type { Customer } from '../customers/customer-types';
import { formatAddress, formatDate, formatDateTime } from '../ui/format';
import { StatusBadge } from '../ui/StatusBadge';
import { CopyButton, StripeDashboardLink, StripeIdRef } from '../ui/StripeIdRef';
import { useProductNames } from './PriceSelect';
import {
  collectionLabel,
  couponLabel,
  currentPeriod,
  customerName,
  itemLabel,
  periodLabel,
  shownStatus,
  UUID,
} from './subscription-format';
import type { Subscription } from './subscription-types';

/** What support is asked about a subscription, in one list of facts. */
export function SubscriptionFacts({ subscription }: { subscription: Subscription }) {
  const period = currentPeriod(subscription);
  const products = useProductNames();
  const requested = subscription.cancellationRequested;
  return (
    <dl className="facts" aria-label="Subscription facts">
      <dt>Status</dt>
      <dd data-testid="subscription-status">
        <StatusBadge status={shownStatus(subscription)} />
        {shownStatus(subscription) === 'replaced' && subscription.status !== 'replaced' ? (
          <span className="muted"> by a plan change (Stripe: {subscription.status?.replace(/_/g, ' ') ?? '—'})</span>
        ) : null}
        {subscription.status === 'pending' ? (
          <span className="muted"> recorded on the platform; Stripe has not confirmed it yet</span>
        ) : null}
      </dd>
      <dt>Customer</dt>
      <dd>
        {subscription.customerId ? (
          <Link to={`/customers/${encodeURIComponent(subscription.customerId)}`}>
            {customerName(subscription.customer) ?? subscription.customerId}
          </Link>
        ) : (
          (subscription.customerStripeId ?? '—')
        )}
        {subscription.customer?.email && subscription.customer.name ? (
          <span className="muted"> · {subscription.customer.email}</span>
        ) : null}
      </dd>
      <dt>Items</dt>
      <dd>
        <ul className="sub-items" aria-label="Items">
          {(subscription.items ?? []).map((item, index) => (
            <li key={item.id ?? index}>
              {itemLabel(item, products)} <span className="muted">{item.priceId ?? item.planId}</span>
            </li>
          ))}
        </ul>
      </dd>
      <dt>Current period</dt>
      <dd>{periodLabel(period.start, period.end)}</dd>
      <dt>Trial</dt>
      <dd>{subscription.trialEnd ? periodLabel(subscription.trialStart, subscription.trialEnd) : 'None'}</dd>
      <dt>Cancellation</dt>
      <dd data-testid="subscription-cancellation">{cancellationText(subscription)}</dd>
      {requested ? (
        <>
          <dt>Cancellation requested</dt>
          <dd>
            {requested.when === 'now' ? 'Now' : 'At period end'} by {requested.actor ?? 'someone'} on{' '}
            {formatDateTime(requested.requestedAt)}
            {requested.reason ? ` (reason: ${requested.reason.replace(/_/g, ' ')})` : ''}
          </dd>
        </>
      ) : null}
      <dt>Collection</dt>
      <dd>{collectionLabel(subscription)}</dd>
      {subscription.discount ? (
        <>
          <dt>Discount</dt>
          <dd>
            {subscription.discount.coupon
              ? couponLabel(subscription.discount.coupon)
              : `${subscription.discount.id ?? 'a discount'} (coupon not expanded by Stripe)`}
          </dd>
        </>
      ) : null}
      <dt>Shipping address</dt>
      <dd data-testid="subscription-address">{formatAddress(subscription.shippingAddress ?? null)}</dd>
      <dt>Shipments remaining</dt>
      <dd data-testid="subscription-shipments">{subscription.shipmentsRemaining ?? 'Not counted'}</dd>
      <dt>Gift recipient</dt>
      <dd>{subscription.giftRecipient ? <CustomerRef id={subscription.giftRecipient} /> : 'None'}</dd>
      {subscription.replacesSubscriptionId ? (
        <>
          <dt>Replaces</dt>
          <dd>
            <Link to={`/subscriptions/${encodeURIComponent(subscription.replacesSubscriptionId)}`}>
              {subscription.replacesSubscriptionId}
            </Link>
          </dd>
        </>
      ) : null}
      {subscription.replacedBy ? (
        <>
          <dt>Replaced by</dt>
          <dd>
            <Link to={`/subscriptions/${encodeURIComponent(subscription.replacedBy)}`}>{subscription.replacedBy}</Link>
          </dd>
        </>
      ) : null}
      <dt>Ids</dt>
      <dd>
        <code>{subscription.id}</code> <CopyButton text={subscription.id} />
        {subscription.stripeId && subscription.stripeId !== subscription.id ? (
          <div>
            <StripeIdRef id={subscription.stripeId} place={subscription} />
          </div>
        ) : subscription.stripeId ? (
          <StripeDashboardLink id={subscription.stripeId} place={subscription} />
        ) : null}
      </dd>
      <dt>Created · last change</dt>
      <dd>
        {formatDate(subscription.stripeCreated)} · {formatDateTime(subscription.lastEventAt)}
      </dd>
    </dl>
  );
}

function cancellationText(subscription: Subscription): string {
  // Stripe also sets canceled_at when cancel at period end is asked for: only the status says it ended.
  if (subscription.status === 'canceled') {
    return `Canceled${subscription.canceledAt ? ` on ${formatDateTime(subscription.canceledAt)}` : ''}`;
  }
  if (subscription.cancelAtPeriodEnd) return `Cancels at period end (${formatDate(currentPeriod(subscription).end)})`;
  const requested = subscription.cancellationRequested;
  if (requested?.when === 'period_end') return 'Cancels at period end (requested; Stripe has yet to confirm)';
  if (requested?.when === 'now') return 'Cancellation requested now; Stripe has yet to confirm';
  if (subscription.cancelAt) return `Cancels on ${formatDate(subscription.cancelAt)}`;
  return 'Not set to cancel';
}

/** A gift recipient: a platform customer (linked, by name) or what Stripe metadata said. */
function CustomerRef({ id }: { id: string }) {
  const customer = useApi<Customer>(
    UUID.test(id) ? (api, signal) => api.get(`/customers/${encodeURIComponent(id)}`, { signal }) : null,
    [id],
  );
  if (!UUID.test(id)) return <>{id}</>;
  return <Link to={`/customers/${encodeURIComponent(id)}`}>{customerName(customer.data ?? null) ?? id}</Link>;
}
