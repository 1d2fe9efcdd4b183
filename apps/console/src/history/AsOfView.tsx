import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/api-error';
import { type Loaded, useApi } from '../api/use-api';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatDateTime } from '../ui/format';
import { isoOfLocalInput, localInputOf } from './as-of-time';
import type { AuditPage, HistoryCollection, HistoryRecords, HistorySubject } from './history-types';
import { Table } from '../ui/Table';

interface PastRecord<R> {
  record: R;
  eventsFolded: string | null;
  snapshotEvents: string | null;
}

/**
 * The record as it stood at `asOf` next to the record now, field by field, the changed ones marked;
 * and the picker that chooses the instant (kept in the URL by the caller, so a view can be shared).
 */
export function AsOfView<C extends HistoryCollection>({
  subject,
  id,
  current,
  asOf,
  onAsOf,
}: {
  subject: HistorySubject<C>;
  id: string;
  current: HistoryRecords[C] | undefined;
  asOf: string | null;
  onAsOf(iso: string | null): void;
}) {
  const [typed, setTyped] = useState(asOf ? localInputOf(asOf) : '');
  const [typedFor, setTypedFor] = useState(asOf);
  if (typedFor !== asOf) {
    // The instant changed from outside (an audit line's "View as of"): show it in the picker.
    setTypedFor(asOf);
    setTyped(asOf ? localInputOf(asOf) : '');
  }
  const past = useApi<PastRecord<HistoryRecords[C]>>(
    asOf
      ? async (api, signal) => {
          const response = await api.fetchRaw('GET', `/${subject.collection}/${encodeURIComponent(id)}`, {
            query: { asOf },
            signal,
          });
          return {
            record: (await response.json()) as HistoryRecords[C],
            eventsFolded: response.headers.get('Ledgerline-Events-Folded'),
            snapshotEvents: response.headers.get('Ledgerline-Snapshot-Events'),
          };
        }
      : null,
    [subject.collection, id, asOf],
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const iso = isoOfLocalInput(typed);
    // A picked second includes everything recorded during it.
    onAsOf(iso ? new Date(Date.parse(iso) + 999).toISOString() : null);
  };

  return (
    <section className="card" aria-label="View as of">
      <h2>View as of a date</h2>
      <form className="toolbar" onSubmit={submit}>
        <label>
          As of (your local time)
          <input type="datetime-local" step={1} value={typed} onChange={(event) => setTyped(event.target.value)} />
        </label>
        <button type="submit" disabled={!typed}>
          Show
        </button>
        {asOf ? (
          <button type="button" onClick={() => onAsOf(null)}>
            Back to now
          </button>
        ) : null}
      </form>
      {asOf ? <PastComparison subject={subject} id={id} asOf={asOf} past={past} current={current} /> : null}
    </section>
  );
}

function PastComparison<C extends HistoryCollection>({
  subject,
  id,
  asOf,
  past,
  current,
}: {
  subject: HistorySubject<C>;
  id: string;
  asOf: string;
  past: Loaded<PastRecord<HistoryRecords[C]>>;
  current: HistoryRecords[C] | undefined;
}) {
  if (past.error instanceof ApiError && past.error.status === 404) {
    return <NotYetRecorded subject={subject} id={id} asOf={asOf} />;
  }
  if (past.error) return <ErrorMessage error={past.error} />;
  if (!past.data) return <p className="muted">Loading…</p>;
  const then = past.data.record;
  const rows = subject.fields.map((field) => {
    const before = field.value(then);
    const now = current ? field.value(current) : '—';
    return { label: field.label, before, now, changed: current !== undefined && before !== now };
  });
  const changed = rows.filter((row) => row.changed).length;
  return (
    <div>
      <p role="status">
        As it stood on <strong data-testid="as-of-instant">{formatDateTime(asOf, true)}</strong>:{' '}
        {changed === 0 ? 'the same as now.' : `${changed} field${changed === 1 ? '' : 's'} changed since.`}{' '}
        <span className="muted">
          ({past.data.snapshotEvents ?? 0} events from a snapshot, {past.data.eventsFolded ?? 0} folded after it)
        </span>
      </p>
      <Table aria-label="Record then and now">
        <thead>
          <tr>
            <th>Field</th>
            <th>Then</th>
            <th>Now</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label} className={row.changed ? 'warn' : undefined} data-changed={row.changed}>
              <th scope="row">
                {row.label}
                {row.changed ? (
                  <span className="changed-mark">
                    <span aria-hidden="true">▲ </span>changed
                  </span>
                ) : null}
              </th>
              <td>{row.before}</td>
              <td>{row.now}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <details>
        <summary>Every field as it stood then</summary>
        <pre className="json">{JSON.stringify(then, null, 2)}</pre>
      </details>
    </div>
  );
}

/**
 * Before the record's first recorded event. The as-of view goes by the time Ledgerline recorded
 * events, so the page says when that was and, for a record Stripe dates earlier (a backfill), from
 * when Stripe has it: "did not exist yet" next to older Stripe dates would contradict the trail.
 */
function NotYetRecorded<C extends HistoryCollection>({
  subject,
  id,
  asOf,
}: {
  subject: HistorySubject<C>;
  id: string;
  asOf: string;
}) {
  const first = useApi<AuditPage>(
    (api, signal) =>
      api.get(`/${subject.collection}/${encodeURIComponent(id)}/audit`, {
        query: { limit: 1, order: 'asc' },
        signal,
      }),
    [subject.collection, id],
  );
  const entry = first.data?.entries[0];
  const earlierInStripe = entry && Date.parse(entry.at) < Date.parse(asOf);
  return (
    <p role="status" className="notice">
      The {subject.noun} did not exist yet in Ledgerline on {formatDateTime(asOf, true)}
      {entry ? <>: its first event was recorded on {formatDateTime(entry.recordedAt, true)}</> : null}.
      {earlierInStripe ? (
        <>
          {' '}
          Stripe dates it from {formatDateTime(entry.at, true)}: the trail shows that time under each recorded time, and
          this view goes by the recorded time.
        </>
      ) : null}
    </p>
  );
}
