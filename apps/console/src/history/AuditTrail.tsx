import { useCallback, useEffect, useState } from 'react';
import { useApiClient } from '../session/session';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatDateTime } from '../ui/format';
import type { AuditEntry, AuditPage } from './history-types';
import { Table } from '../ui/Table';

const PAGE = 50;

/** More apart than this, an event's time in Stripe is shown beside the time Ledgerline recorded it. */
const SAME_MOMENT_MS = 60_000;

/**
 * The audit trail, a page at a time (keyset cursor `next`), newest or oldest first. Each line can
 * open the record as it stood right after that event was recorded. "When" is the time Ledgerline
 * recorded the event, the clock of the as-of view; where Stripe dates it otherwise (a backfill, a
 * late webhook), Stripe's time is shown under it (docs/time-travel.md).
 */
export function AuditTrail({
  path,
  onViewAsOf,
  selectedAsOf,
}: {
  path: string;
  onViewAsOf(iso: string): void;
  selectedAsOf: string | null;
}) {
  const api = useApiClient();
  const [order, setOrder] = useState<'desc' | 'asc'>('desc');
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(
    async (after: string | null, signal?: AbortSignal) => {
      setLoading(true);
      try {
        const page = await api.get<AuditPage>(path, { query: { limit: PAGE, order, after }, signal });
        if (signal?.aborted) return;
        setEntries((shown) => (after ? [...shown, ...page.entries] : page.entries));
        setNext(page.next);
        setError(null);
      } catch (caught) {
        if (!signal?.aborted) setError(caught);
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [api, path, order],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(null, controller.signal);
    return () => controller.abort();
  }, [load]);

  return (
    <section className="card" aria-label="Audit trail">
      <div className="toolbar">
        <h2 className="grow">Audit trail</h2>
        <label>
          Order
          <select value={order} onChange={(event) => setOrder(event.target.value as 'desc' | 'asc')}>
            <option value="desc">Newest first</option>
            <option value="asc">Oldest first</option>
          </select>
        </label>
      </div>
      <ErrorMessage error={error} />
      <Table aria-label="Audit entries">
        <thead>
          <tr>
            <th>When (recorded)</th>
            <th>What</th>
            <th>Who</th>
            <th>Source</th>
            <th>Event</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.eventId} className={selectedAsOf === entry.recordedAt ? 'warn' : undefined}>
              <td>
                <time dateTime={entry.recordedAt} data-testid="recorded-at">
                  {formatDateTime(entry.recordedAt, true)}
                </time>
                {Math.abs(Date.parse(entry.at) - Date.parse(entry.recordedAt)) > SAME_MOMENT_MS ? (
                  <span className="muted" data-testid="stripe-time">
                    <br />
                    in Stripe: <time dateTime={entry.at}>{formatDateTime(entry.at, true)}</time>
                  </span>
                ) : null}
              </td>
              <td>{entry.description}</td>
              <td>{entry.actor}</td>
              <td>
                <span className="badge">{entry.source}</span>
              </td>
              <td className="muted" title={entry.eventId}>
                {entry.type}
                <br />
                {entry.stream} #{entry.revision}
                {entry.correlationId ? <> · correlation {entry.correlationId}</> : null}
              </td>
              <td>
                <button type="button" onClick={() => onViewAsOf(entry.recordedAt)}>
                  View as of this
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      {!loading && entries.length === 0 && !error ? <p className="muted">No events recorded yet.</p> : null}
      {loading ? <p className="muted">Loading…</p> : null}
      {next && !loading ? (
        <div className="actions">
          <button type="button" onClick={() => void load(next)}>
            Load more
          </button>
        </div>
      ) : null}
    </section>
  );
}
