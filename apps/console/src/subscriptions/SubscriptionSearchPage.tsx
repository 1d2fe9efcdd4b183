import './subscriptions.css';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Paged } from '../api/api-shapes';
import { useApi } from '../api/use-api';
import { useApiClient } from '../session/session';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatDate } from '../ui/format';
import { Loading } from '../ui/Loading';
import { OffsetPager } from '../ui/OffsetPager';
import { StatusBadge } from '../ui/StatusBadge';
import { useProductNames } from './PriceSelect';
import { SUBSCRIPTION_STATUSES, type SubscriptionRow } from './subscription-types';
import { currentPeriod, customerName, itemLabel, shownStatus } from './subscription-format';
import { Table } from '../ui/Table';

const PAGE_SIZE = 25;
const DEBOUNCE_MS = 300;

/**
 * Subscriptions by their customer (name, email, phone, company) and status. The search lives in
 * the URL (?q=&status=&offset=), so a search can be shared, reloaded and come back to.
 */
export function SubscriptionSearchPage() {
  const api = useApiClient();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const status = params.get('status') ?? '';
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const [text, setText] = useState(q);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const products = useProductNames();

  const update = (changes: Record<string, string>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(changes)) {
          if (value && !(name === 'offset' && value === '0')) next.set(name, value);
          else next.delete(name);
        }
        if (!('offset' in changes)) next.delete('offset');
        return next;
      },
      { replace: true },
    );

  // The URL changed from outside (back, forward, a link): the box shows its search. Our own
  // debounced updates leave the box as typed (they come from it).
  useEffect(() => {
    setText((current) => (current.trim() === q ? current : q));
  }, [q]);

  // Typing updates the URL (and so the search) once the typing pauses.
  useEffect(() => {
    if (text.trim() === q) return;
    const timer = setTimeout(() => update({ q: text.trim() }), DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `update` is rebuilt each render; text and q are what matter
  }, [text, q]);

  const results = useApi<Paged<SubscriptionRow>>(
    (client, signal) => client.get('/subscriptions', { query: { q, status, limit: PAGE_SIZE, offset }, signal }),
    [q, status, offset],
  );

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const name = ['subscriptions', status, q && 'search'].filter(Boolean).join('-');
      await api.download('/subscriptions/export.csv', { q, status }, `${name}.csv`);
    } catch (caught) {
      setExportError(caught);
    } finally {
      setExporting(false);
    }
  };

  return (
    <section className="card">
      <div className="sub-heading">
        <h1>Subscriptions</h1>
        <Link className="button primary" to="/subscriptions/new">
          Start subscription
        </Link>
      </div>
      <form className="toolbar" role="search" onSubmit={(event) => event.preventDefault()}>
        <label className="grow">
          Search by customer
          <input
            type="search"
            placeholder="Name, email, phone or company"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </label>
        <label>
          Status
          <select value={status} onChange={(event) => update({ status: event.target.value })}>
            <option value="">Any status</option>
            {SUBSCRIPTION_STATUSES.map((value) => (
              <option key={value} value={value}>
                {value.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={exportCsv} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </form>
      <ErrorMessage error={exportError} />
      <Loading loaded={results}>
        {(page) =>
          page.data.length === 0 ? (
            <p className="muted">
              No subscription matches{q ? ` “${q}”` : ''}
              {status ? ` with status ${status}` : ''}.
            </p>
          ) : (
            <>
              <Table aria-label="Subscriptions" aria-busy={results.loading}>
                <thead>
                  <tr>
                    <th>Customer</th>
                    <th>Status</th>
                    <th>Plan</th>
                    <th>Current period ends</th>
                    <th>Subscription</th>
                  </tr>
                </thead>
                <tbody>
                  {page.data.map((subscription) => (
                    <tr
                      key={subscription.id}
                      className="clickable"
                      onClick={() => navigate(`/subscriptions/${encodeURIComponent(subscription.id)}`)}
                    >
                      <td>
                        {customerName(subscription.customer) ?? subscription.customerStripeId ?? '—'}
                        {subscription.customer?.email && subscription.customer.name ? (
                          <div className="muted">{subscription.customer.email}</div>
                        ) : null}
                      </td>
                      <td>
                        <StatusBadge status={shownStatus(subscription)} />
                        {subscription.cancelAtPeriodEnd && subscription.status !== 'canceled' ? (
                          <div className="muted">cancels at period end</div>
                        ) : null}
                      </td>
                      <td>{(subscription.items ?? []).map((item) => itemLabel(item, products)).join(', ') || '—'}</td>
                      <td>{formatDate(currentPeriod(subscription).end)}</td>
                      <td>
                        <Link
                          to={`/subscriptions/${encodeURIComponent(subscription.id)}`}
                          onClick={(event) => event.stopPropagation()}
                        >
                          {subscription.stripeId ?? subscription.id}
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <OffsetPager
                label="Pages"
                offset={offset}
                page={page}
                pageSize={PAGE_SIZE}
                onOffset={(next) => update({ offset: String(next) })}
                showRange
              />
            </>
          )
        }
      </Loading>
    </section>
  );
}
