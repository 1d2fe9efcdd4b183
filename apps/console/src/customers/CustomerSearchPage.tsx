import { type MouseEvent, useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { formatCount, formatDate, formatDateTime } from '../ui/format';
import { SortHeader } from '../ui/SortHeader';
import { displayName } from './customer-api';
import { CustomerFilters } from './CustomerFilters';
import { balanceText } from './CustomerHeader';
import { type CustomerSort, customerListParams, customerListQuery, sortedBy, withParams } from './customer-list-params';
import type { Customer } from './customer-types';
import { ListView } from './ListView';
import { usePagedList } from './use-paged-list';
import { Table } from '../ui/Table';
import './customers.css';

/** Long enough to skip the requests of a word being typed, short enough to feel immediate. */
const DEBOUNCE_MS = 250;

/**
 * Customers: search as you type, filter, sort by a column. The query lives in the URL (`?q=`, and
 * `sort`, `order` and the filters: customer-list-params.ts), so back, reload and a shared link show
 * the same results; the text is written there once typing pauses. Answers to older queries are
 * dropped (useApi), so a slow answer never replaces a newer one.
 */
export function CustomerSearchPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const list = customerListParams(params);
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
    const timer = setTimeout(
      () => setParams((current) => withParams(current, { q: typed }), { replace: true }),
      DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [typed, q, setParams]);

  const term = q.trim();
  const query = { q: term || undefined, ...customerListQuery(list) };
  const filtered = Boolean(list.delinquent || list.subscriptionStatus);
  const results = usePagedList<Customer>('/customers', query, 50, (c) => c.id);
  const searching = typed.trim() !== term || results.loading;
  const update = (changes: Record<string, string | undefined>) =>
    setParams((current) => withParams(current, changes), { replace: true });
  const sortHeader = (sort: CustomerSort, label: string) => (
    <SortHeader
      sorted={list.sort === sort ? list.order : null}
      onSort={() => update(customerListQuery(sortedBy(list, sort)))}
    >
      {label}
    </SortHeader>
  );

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
              : 'All customers. Deleted customers are not listed.'}
        </p>
        <CustomerFilters list={list} onChange={update} />
      </div>
      {results.total && results.rows?.length ? (
        <p className="list-count">{formatCount(results.total, 'customer', 'customers')}</p>
      ) : null}
      <ListView
        list={results}
        empty={
          term
            ? `No customer matches “${term}”${filtered ? ' with these filters' : ''}.`
            : filtered
              ? 'No customer matches these filters.'
              : 'No customers yet. Create one with “New customer”.'
        }
      >
        {(customers) => (
          <Table aria-label="Customers" aria-busy={searching || undefined}>
            <thead>
              <tr>
                {sortHeader('name', 'Name')}
                {sortHeader('email', 'Email')}
                <th>Phone</th>
                <th>City, country</th>
                <th>Company</th>
                <th>Stripe customer</th>
                {sortHeader('balance', 'Balance')}
                {sortHeader('created', 'Created')}
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
                  <td>{customer.balance === null ? '—' : balanceText(customer.balance, customer.currency)}</td>
                  <td>{formatDate(customer.stripeCreated)}</td>
                  <td>{formatDateTime(customer.lastEventAt)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </ListView>
    </div>
  );
}

function placeOf(customer: Customer): string {
  const address = customer.addresses.find((a) => a.kind === 'billing') ?? customer.addresses[0];
  return [address?.city, address?.country].filter(Boolean).join(', ') || '—';
}
