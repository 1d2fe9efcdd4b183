import { type MouseEvent, useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { formatDateTime } from '../ui/format';
import { displayName } from './customer-api';
import type { Customer } from './customer-types';
import { ListView } from './ListView';
import { usePagedList } from './use-paged-list';
import './customers.css';

/** Long enough to skip the requests of a word being typed, short enough to feel immediate. */
const DEBOUNCE_MS = 250;

/**
 * Customers: search as you type. The query lives in the URL (`?q=`), so back, reload and a shared
 * link show the same results; it is written there once typing pauses. Answers to older queries
 * are dropped (useApi), so a slow answer never replaces a newer one.
 */
export function CustomerSearchPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [typed, setTyped] = useState(q);
  const [shownQ, setShownQ] = useState(q);
  const navigate = useNavigate();
  const notice = (useLocation().state as { notice?: string } | null)?.notice;

  // Back and forward change the URL under the page: the box follows it.
  if (q !== shownQ) {
    setShownQ(q);
    setTyped(q);
  }

  useEffect(() => {
    if (typed === q) return;
    const timer = setTimeout(() => setParams(typed ? { q: typed } : {}, { replace: true }), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [typed, q, setParams]);

  const term = q.trim();
  const results = usePagedList<Customer>('/customers', { q: term || undefined }, 50, (c) => c.id);
  const searching = typed.trim() !== term || results.loading;

  const open = (event: MouseEvent, id: string) => {
    // A click on the name's link navigates by itself; a drag to select text is not a click to open.
    if ((event.target as HTMLElement).closest('a') || window.getSelection()?.toString()) return;
    navigate(`/customers/${encodeURIComponent(id)}`);
  };

  return (
    <div className="customers">
      <div className="toolbar">
        <h1 className="grow">Customers</h1>
        <Link className="button primary" to="/customers/new">
          New customer
        </Link>
      </div>
      {notice ? (
        <p role="status" className="notice">
          {notice}
        </p>
      ) : null}
      <div className="card">
        <label className="search-box">
          Search customers
          <input
            type="search"
            name="q"
            value={typed}
            autoFocus
            autoComplete="off"
            placeholder="Part of a name, email, phone number or address"
            onChange={(event) => setTyped(event.target.value)}
          />
        </label>
        <p className="muted hint" aria-live="polite">
          {searching
            ? 'Searching…'
            : term
              ? `Matching “${term}” in names, email, phone, addresses and company.`
              : 'All customers, by name. Deleted customers are not listed.'}
        </p>
      </div>
      <ListView
        list={results}
        empty={term ? `No customer matches “${term}”.` : 'No customers yet. Create one with “New customer”.'}
      >
        {(customers) => (
          <table aria-label="Customers" aria-busy={searching || undefined}>
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Phone</th>
                <th>City, country</th>
                <th>Company</th>
                <th>Stripe customer</th>
                <th>Last change</th>
              </tr>
            </thead>
            <tbody>
              {customers.map((customer) => (
                <tr key={customer.id} className="clickable" onClick={(event) => open(event, customer.id)}>
                  <td>
                    <Link to={`/customers/${encodeURIComponent(customer.id)}`}>{displayName(customer)}</Link>
                    {customer.delinquent ? <span className="badge status-past_due">delinquent</span> : null}
                  </td>
                  <td>{customer.email ?? '—'}</td>
                  <td>{customer.phone ?? '—'}</td>
                  <td>{placeOf(customer)}</td>
                  <td>{[customer.company, customer.department].filter(Boolean).join(', ') || '—'}</td>
                  <td>
                    <code>{customer.stripeIds.join(', ') || '—'}</code>
                  </td>
                  <td>{formatDateTime(customer.lastEventAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ListView>
    </div>
  );
}

function placeOf(customer: Customer): string {
  const address = customer.addresses.find((a) => a.kind === 'billing') ?? customer.addresses[0];
  return [address?.city, address?.country].filter(Boolean).join(', ') || '—';
}
