import './subscriptions.css';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useApi } from '../api/use-api';
import { useRefreshWhile } from '../api/use-refresh-while';
import { retryWhileNotFound, waitForReadModel } from '../api/wait-for-read-model';
import { useApiClient } from '../session/session';
import { ErrorMessage } from '../ui/ErrorMessage';
import { Loading } from '../ui/Loading';
import { StatusBadge } from '../ui/StatusBadge';
import { awaitingStripeSync, StripeSyncNote } from '../ui/StripeSyncNote';
import type { ActionOutcome } from './ActionDialog';
import { StatusTimeline } from './StatusTimeline';
import { SubscriptionActions } from './SubscriptionActions';
import { SubscriptionFacts } from './SubscriptionFacts';
import { SubscriptionInvoices } from './SubscriptionInvoices';
import { customerName, shownStatus } from './subscription-format';
import { awaitingStripe } from './subscription-state';
import type { Subscription } from './subscription-types';

const STILL_CATCHING_UP = 'It will show here once the read model has caught up (reload in a moment).';

const subscriptionPath = (id: string) => `/subscriptions/${encodeURIComponent(id)}`;

/**
 * One subscription: its facts, the actions its state allows, its status history and invoices.
 * Opened right after a start or plan change it may not be in the read model yet, so a 404 is
 * retried for a few seconds before it is shown; opened any other way, a 404 is shown at once.
 */
export function SubscriptionPage() {
  const { id = '' } = useParams();
  // Keyed by id: another subscription (the one a plan change started, a "Replaces" link) is a
  // fresh page, never the previous one's data, notice or open dialog under the new address.
  return <SubscriptionDetails key={id} id={id} />;
}

function SubscriptionDetails({ id }: { id: string }) {
  const api = useApiClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [notice, setNotice] = useState<string | null>((location.state as { notice?: string } | null)?.notice ?? null);
  const [waiting, setWaiting] = useState(false);
  const [waitError, setWaitError] = useState<unknown>(null);
  // Only a page opened right after the command that made the subscription (a start, a plan change:
  // they hand over a notice) waits for the read model; an unknown id is asked for once.
  const [justMade] = useState(() => Boolean((location.state as { notice?: string } | null)?.notice));
  const subscription = useApi<Subscription>(
    (client, signal) =>
      justMade
        ? retryWhileNotFound(() => client.get(subscriptionPath(id), { signal }), signal)
        : client.get(subscriptionPath(id), { signal }),
    [id],
  );

  // While Stripe has yet to confirm what the platform asked (pending, being retried), the page
  // refreshes itself. Paused or failed, nothing will change by waiting: no refreshing then.
  const syncState = subscription.data?.stripeSync?.state;
  const awaiting =
    awaitingStripeSync(subscription.data?.stripeSync) ||
    (subscription.data && syncState !== 'paused' && syncState !== 'failed' ? awaitingStripe(subscription.data) : false);
  useRefreshWhile(awaiting, subscription);

  // The notice a previous page handed over is shown once: a reload of this page does not repeat it.
  useEffect(() => {
    if ((location.state as { notice?: string } | null)?.notice) {
      navigate({ pathname: location.pathname, search: location.search }, { replace: true, state: null });
    }
  }, [location, navigate]);

  const onDone = async (outcome: ActionOutcome) => {
    setWaitError(null);
    if (outcome.open) {
      navigate(`/subscriptions/${encodeURIComponent(outcome.open)}`, { state: { notice: outcome.notice } });
      return;
    }
    setNotice(outcome.notice);
    if (outcome.until) {
      setWaiting(true);
      try {
        const shown = await waitForReadModel(() => api.get<Subscription>(subscriptionPath(id)), outcome.until);
        if (!shown) setNotice(`${outcome.notice} ${STILL_CATCHING_UP}`);
      } catch (caught) {
        setWaitError(caught);
      } finally {
        setWaiting(false);
      }
    }
    subscription.reload();
  };

  return (
    <>
      <nav className="sub-breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/subscriptions">Subscriptions</Link> / <span>{id}</span>
      </nav>
      <Loading loaded={subscription}>
        {(view) => (
          <>
            <section className="card" aria-labelledby="subscription-title">
              <div className="sub-heading">
                <h1 id="subscription-title">
                  Subscription of {customerName(view.customer) ?? view.customerStripeId ?? 'unknown customer'}{' '}
                  <StatusBadge status={shownStatus(view)} />
                </h1>
                <span className="actions">
                  <Link to={`/subscriptions/${encodeURIComponent(view.id)}/history`}>History</Link>
                  {view.customerId ? (
                    <Link to={`/customers/${encodeURIComponent(view.customerId)}`}>Customer</Link>
                  ) : null}
                </span>
              </div>
              {notice ? (
                <p role="status" className="notice">
                  {notice}
                  {waiting ? ' Updating…' : ''}
                </p>
              ) : null}
              {/* What the latest command waits for, as the API knows it: paused, retrying or failed (and why), pending. */}
              {view.stripeSync && view.stripeSync.state !== 'synced' ? (
                <StripeSyncNote sync={view.stripeSync} />
              ) : awaiting ? (
                <p className="muted" aria-live="polite">
                  Waiting for Stripe to confirm; this page refreshes itself.
                </p>
              ) : null}
              <ErrorMessage error={waitError} />
              <SubscriptionFacts subscription={view} />
            </section>
            <div className="grid-2 sub-columns">
              <SubscriptionActions subscription={view} onDone={onDone} />
              <StatusTimeline subscription={view} />
            </div>
            <SubscriptionInvoices subscriptionId={view.id} customerId={view.customerId} />
          </>
        )}
      </Loading>
    </>
  );
}
