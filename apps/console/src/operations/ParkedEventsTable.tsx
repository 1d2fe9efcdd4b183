import { useState } from 'react';
import { useApiClient } from '../session/session';
import { ConfirmButton } from '../ui/ConfirmButton';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatDateTime } from '../ui/format';
import { ActionFeedback, useAction } from './ActionFeedback';
import { isRebuildStateRow, type ParkedEvent, type ParkedEventPayload, parkedPath } from './operations-api';
import { formatCount } from './rebuild-speed';
import { Table } from '../ui/Table';

/**
 * Events a projection failed to apply after its retries and stepped over (decision 0006). Retry
 * applies one again now (after a fix; the API answers 409 and keeps it parked if it still fails);
 * skip drops it for good, so it asks first.
 */
export function ParkedEventsTable({ parked, onChanged }: { parked: ParkedEvent[]; onChanged(): void }) {
  const api = useApiClient();
  const { feedback, run, clear } = useAction(onChanged);
  // The event being retried: its button waits for the answer, so a double click retries once.
  const [retrying, setRetrying] = useState<string | null>(null);
  const retry = async (event: ParkedEvent, key: string) => {
    setRetrying(key);
    await run(
      () => api.post(parkedPath(event, 'retry')),
      `Event ${event.position} (${event.type}) applied to ${event.projection}`,
    );
    setRetrying(null);
  };

  return (
    <>
      <ActionFeedback feedback={feedback} onDismiss={clear} />
      {parked.length === 0 ? (
        <p className="muted">No parked events: every projection has applied every event it has read.</p>
      ) : (
        <Table className="parked" aria-label="Parked events">
          <thead>
            <tr>
              <th>Projection</th>
              <th className="num">Position</th>
              <th>Event</th>
              <th>Error</th>
              <th>Parked</th>
              <th className="num">Attempts</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {parked.map((event) => {
              const key = `${event.projection}/${event.position}`;
              // Parked by a rebuild's replay: they move to the projection when it switches over.
              const byRebuild = isRebuildStateRow(event.projection);
              return (
                <tr key={key} data-parked={key}>
                  <td>{event.projection}</td>
                  <td className="num">{formatCount(event.position)}</td>
                  <td>
                    <code>{event.type}</code>
                    <div className="muted">
                      stream <code>{event.stream}</code>
                    </div>
                    <div className="muted">
                      id <code>{event.eventId}</code>
                    </div>
                    <ParkedPayload event={event} />
                  </td>
                  <td className="parked-error">{event.error}</td>
                  <td>{formatDateTime(event.parkedAt)}</td>
                  <td className="num">{event.attempts}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      disabled={byRebuild || retrying === key}
                      title={byRebuild ? 'Parked by the rebuild in progress' : 'Apply it again now'}
                      onClick={() => void retry(event, key)}
                    >
                      {retrying === key ? 'Retrying…' : 'Retry'}
                    </button>
                    <ConfirmButton
                      label="Skip"
                      disabled={byRebuild}
                      question={
                        <p>
                          Skip event {event.position} ({event.type}) for good? <strong>{event.projection}</strong> will
                          never apply it, unless the projection is rebuilt.
                        </p>
                      }
                      confirmLabel="Skip the event"
                      onConfirm={() =>
                        run(
                          () => api.post(parkedPath(event, 'skip')),
                          `Event ${event.position} (${event.type}) skipped by ${event.projection}`,
                        )
                      }
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </>
  );
}

/**
 * The parked event's payload and metadata, read when opened (the page refreshes every 2 s: it is
 * asked for once, not at every refresh).
 */
function ParkedPayload({ event }: { event: ParkedEvent }) {
  const api = useApiClient();
  const [payload, setPayload] = useState<ParkedEventPayload | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = async () => {
    if (payload) return;
    setError(null);
    try {
      setPayload(await api.get<ParkedEventPayload>(parkedPath(event, 'event')));
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <details
      className="parked-payload"
      onToggle={(toggled) => {
        if ((toggled.currentTarget as HTMLDetailsElement).open) void load();
      }}
    >
      <summary>Payload</summary>
      <ErrorMessage error={error} onRetry={() => void load()} />
      {payload ? (
        <pre className="json" aria-label={`Payload of event ${event.position}`}>
          {JSON.stringify({ data: payload.data, metadata: payload.metadata }, null, 2)}
        </pre>
      ) : error ? null : (
        <p className="muted">Loading…</p>
      )}
    </details>
  );
}
