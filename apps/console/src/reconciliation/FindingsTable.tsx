import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { formatMoney } from '../ui/format';
import { FINDING_KINDS, type Finding, kindLabel, kindMeaning } from './reconciliation-api';
import { Table } from '../ui/Table';

/**
 * The findings to work through, filtered by kind (kept in the address, so a filtered list can be
 * shared), currency, and any id or word of the message.
 */
export function FindingsTable({ findings }: { findings: Finding[] }) {
  const [params, setParams] = useSearchParams();
  const kind = params.get('kind') ?? '';
  const [currency, setCurrency] = useState('');
  const [text, setText] = useState('');

  if (findings.length === 0) {
    return (
      <p className="notice">
        No findings: the events, Stripe’s balance and the read models agree on this period’s money.
      </p>
    );
  }
  const kinds = countBy(findings, (finding) => finding.kind);
  const currencies = countBy(findings, (finding) => finding.currency ?? '');
  const needle = text.trim().toLowerCase();
  const shown = findings.filter(
    (finding) =>
      (!kind || finding.kind === kind) &&
      (!currency || (finding.currency ?? '') === currency) &&
      (!needle ||
        [finding.message, ...finding.stripeIds, ...finding.eventIds].join(' ').toLowerCase().includes(needle)),
  );
  const setKind = (value: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set('kind', value);
        else next.delete('kind');
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <div className="toolbar" role="search" aria-label="Filter findings">
        <label>
          Kind
          <select value={kind} onChange={(event) => setKind(event.target.value)}>
            <option value="">All kinds ({findings.length})</option>
            {[...kinds].map(([value, count]) => (
              <option key={value} value={value}>
                {kindLabel(value)} ({count})
              </option>
            ))}
          </select>
        </label>
        {currencies.size > 1 ? (
          <label>
            Currency
            <select value={currency} onChange={(event) => setCurrency(event.target.value)}>
              <option value="">All currencies</option>
              {[...currencies].map(([value, count]) => (
                <option key={value} value={value}>
                  {value ? value.toUpperCase() : 'none'} ({count})
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="grow">
          Search
          <input
            type="search"
            value={text}
            placeholder="Stripe id, event id or words of the message"
            onChange={(event) => setText(event.target.value)}
          />
        </label>
      </div>
      {kind && kindMeaning(kind) ? <p className="muted">{kindMeaning(kind)}</p> : null}
      {shown.length === 0 ? (
        <p className="muted">No finding matches these filters.</p>
      ) : (
        <div className="table-scroll">
          <Table className="findings" aria-label="Findings">
            <thead>
              <tr>
                <th>Kind</th>
                <th>What</th>
                <th className="num">Platform</th>
                <th className="num">Stripe / read model</th>
                <th>Stripe ids</th>
                <th>Events</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((finding, index) => (
                <tr key={`${finding.kind}/${finding.stripeIds.join(',')}/${index}`} data-kind={finding.kind}>
                  <td>
                    <span className="badge status-mismatched" title={FINDING_KINDS[finding.kind].meaning}>
                      {kindLabel(finding.kind)}
                    </span>
                  </td>
                  <td>{finding.message}</td>
                  <td className="num">{figure(finding, finding.expected)}</td>
                  <td className="num">{figure(finding, finding.actual)}</td>
                  <td>
                    <Ids ids={finding.stripeIds} />
                  </td>
                  <td>
                    <Ids ids={finding.eventIds} short />
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      )}
      <p className="muted">
        Showing {shown.length} of {findings.length} findings.
      </p>
    </>
  );
}

/** Ids one per line; event ids (uuids) by their first part, whole on hover, in the search and in the CSV. */
function Ids({ ids, short = false }: { ids: string[]; short?: boolean }) {
  if (ids.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="ids">
      {ids.map((id) => (
        <li key={id}>
          <code title={id}>{short ? `${id.slice(0, 8)}…` : id}</code>
        </li>
      ))}
    </ul>
  );
}

/** Ledger fields that count objects (charges, paid invoices) rather than sum money in minor units. */
const COUNT_FIELDS = new Set(['charges', 'invoicesPaid']);

/**
 * A finding's figure: money (minor units) as money; for a read-model finding on a count field, a
 * count ("1 charge"), never "$0.01".
 */
export function figure(finding: Pick<Finding, 'currency' | 'readModel'>, value: number | null): string {
  if (value === null) return '—';
  const field = finding.readModel?.field;
  if (field && COUNT_FIELDS.has(field)) {
    const noun = field === 'charges' ? 'charge' : 'paid invoice';
    return `${value.toLocaleString('en')} ${noun}${value === 1 ? '' : 's'}`;
  }
  return formatMoney(value, finding.currency);
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}
