import type { ReactNode } from 'react';
import { formatDateTime } from '../ui/format';
import { StatusBadge } from '../ui/StatusBadge';
import type { Subscription } from './subscription-types';

interface Entry {
  at: string;
  key: string;
  render(): ReactNode;
}

/**
 * The status history as Stripe told it (each change with the event that caused it), with the
 * platform's own cancellation request placed at its time: support sees both what was asked and
 * what Stripe did. The full event trail is on the History page.
 */
export function StatusTimeline({ subscription }: { subscription: Subscription }) {
  const entries: Entry[] = subscription.history.map((change) => ({
    at: change.at,
    key: change.storeEventId,
    render: () => (
      <>
        {change.from ? (
          <>
            <StatusBadge status={change.from} /> →{' '}
          </>
        ) : null}
        <StatusBadge status={change.to} />
        <div className="muted">
          {formatDateTime(change.at)} · Stripe event <code>{change.eventType}</code> ({change.stripeEventId})
        </div>
      </>
    ),
  }));
  const requested = subscription.cancellationRequested;
  if (requested?.requestedAt) {
    entries.push({
      at: requested.requestedAt,
      key: 'cancellation-requested',
      render: () => (
        <>
          <strong>
            {requested.reason === 'plan_change'
              ? 'Replaced by a plan change'
              : `Cancellation requested (${requested.when === 'now' ? 'now' : 'at period end'})`}
          </strong>
          <div className="muted">
            {formatDateTime(requested.requestedAt)} · by {requested.actor ?? 'unknown'} on the platform
            {requested.reason && requested.reason !== 'plan_change' ? ` · reason: ${requested.reason}` : ''}
          </div>
        </>
      ),
    });
  }
  entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

  return (
    <section className="card" aria-labelledby="status-history">
      <h2 id="status-history">Status history</h2>
      {entries.length === 0 ? (
        <p className="muted">
          No status from Stripe yet
          {subscription.status === 'pending'
            ? ': the subscription is recorded on the platform and being created.'
            : '.'}
        </p>
      ) : (
        <ul className="timeline" aria-label="Status history">
          {entries.map((entry) => (
            <li key={entry.key}>{entry.render()}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
