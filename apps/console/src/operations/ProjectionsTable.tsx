import { Fragment } from 'react';
import { useApiClient } from '../session/session';
import { ConfirmButton } from '../ui/ConfirmButton';
import { formatDateTime } from '../ui/format';
import { StatusBadge } from '../ui/StatusBadge';
import { ActionFeedback, useAction } from './ActionFeedback';
import { isActive, isRebuildStateRow, type ProjectionStatus, type RebuildRequest } from './operations-api';
import { RebuildProgress } from './RebuildProgress';
import { formatCount, formatDuration, type RebuildEstimate } from './rebuild-speed';
import { Table } from '../ui/Table';

/**
 * Every projection with its checkpoint against the store's head, its lag, whether it has stalled,
 * parked events and last error; a rebuild (blue/green: the live tables keep answering until the
 * switch) per projection, and its progress on a row of its own while it runs.
 */
export function ProjectionsTable({
  projections,
  rebuilds,
  estimates,
  onChanged,
}: {
  projections: ProjectionStatus[];
  rebuilds: RebuildRequest[];
  estimates: Map<number, RebuildEstimate>;
  onChanged(): void;
}) {
  const api = useApiClient();
  const { feedback, run, clear } = useAction(onChanged);
  const active = new Map(rebuilds.filter(isActive).map((rebuild) => [rebuild.projection, rebuild]));
  const rows = projections.filter((projection) => !isRebuildStateRow(projection.name));
  if (rows.length === 0) {
    return <p className="muted">No projection has registered yet: the worker registers them when it starts.</p>;
  }
  const path = (name: string) => `/admin/projections/${encodeURIComponent(name)}/rebuild`;

  return (
    <>
      <ActionFeedback feedback={feedback} onDismiss={clear} />
      <Table className="projections" aria-label="Projections">
        <thead>
          <tr>
            <th>Projection</th>
            <th>Status</th>
            <th className="num">Position / head</th>
            <th>Lag</th>
            <th className="num">Parked</th>
            <th>Last error</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((projection) => {
            const rebuild = active.get(projection.name);
            const attention = projection.status !== 'running' || projection.parked > 0 || projection.stalled;
            return (
              <Fragment key={projection.name}>
                <tr data-projection={projection.name} className={attention ? 'warn' : undefined}>
                  <th scope="row">
                    {projection.name}
                    <div className="muted">version {projection.version}</div>
                  </th>
                  <td>
                    <StatusBadge status={projection.status} />
                    {projection.stalled ? (
                      // Apart from the status, which may well say running: nothing failed, it stopped moving.
                      <div
                        className="stalled"
                        data-testid="stalled"
                        title="Events are waiting and its position has not moved"
                      >
                        stalled for {formatDuration(projection.stalledSeconds)}
                      </div>
                    ) : null}
                  </td>
                  <td className="num" data-testid="position">
                    {formatCount(projection.position)} / {formatCount(projection.headPosition)}
                  </td>
                  <td data-testid="lag">
                    <Lag projection={projection} />
                  </td>
                  <td className="num">
                    {projection.parked > 0 ? (
                      <a href="#parked">{projection.parked}</a>
                    ) : (
                      <span className="muted">0</span>
                    )}
                  </td>
                  <td className="last-error">
                    {projection.lastError ? (
                      // The engine keeps the last error once it is over; shown dimmed while all is well.
                      <div className={attention ? undefined : 'muted'}>
                        <span title={projection.lastError}>{projection.lastError}</span>
                        <div className="muted">{formatDateTime(projection.lastErrorAt)}</div>
                      </div>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className="row-actions">
                    {rebuild ? (
                      <ConfirmButton
                        label="Cancel rebuild"
                        question={`Stop rebuilding ${projection.name}? The rebuilt copy is dropped; the current tables stay as they are.`}
                        confirmLabel="Cancel the rebuild"
                        onConfirm={() =>
                          run(
                            () => api.post(`${path(projection.name)}/cancel`),
                            `Rebuild of ${projection.name} cancelled`,
                          )
                        }
                      />
                    ) : (
                      <ConfirmButton
                        label="Rebuild"
                        danger={false}
                        question={
                          <>
                            <p>
                              Rebuild <strong>{projection.name}</strong> from the first event of the store?
                            </p>
                            <p className="muted">
                              It is replayed into new tables while the current ones keep answering; they are swapped in
                              one transaction once the rebuild has caught up. Its parked events are replaced by those
                              the replay parks: an event that was fixed since is simply applied.
                            </p>
                          </>
                        }
                        confirmLabel="Start rebuild"
                        onConfirm={() =>
                          run(() => api.post(path(projection.name)), `Rebuild of ${projection.name} requested`)
                        }
                      />
                    )}
                  </td>
                </tr>
                {rebuild ? (
                  <tr className="rebuild-row">
                    <td colSpan={7}>
                      <RebuildProgress rebuild={rebuild} estimate={estimates.get(rebuild.id)} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </Table>
    </>
  );
}

function Lag({ projection }: { projection: ProjectionStatus }) {
  if (projection.lag === 0) return <span className="muted">up to date</span>;
  return (
    <>
      {formatCount(projection.lag)} {projection.lag === 1 ? 'event' : 'events'} behind
      {projection.lagSeconds > 0 ? (
        <div className="muted">oldest waiting {formatDuration(projection.lagSeconds)}</div>
      ) : null}
    </>
  );
}
