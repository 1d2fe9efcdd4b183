import { formatDateTime } from '../ui/format';
import type { WorkersOverview } from './operations-api';
import { Table } from '../ui/Table';

/**
 * Which worker runs what (decision 0016). Units no live worker holds are called out: after a
 * worker dies they wait up to the lease time for another; if they stay, no worker is running.
 */
export function WorkersTable({ overview }: { overview: WorkersOverview }) {
  const { workers, unowned, leaseMs } = overview;
  return (
    <>
      {unowned.length ? (
        <p className="stale-warning" role="status">
          {workers.length === 0 ? 'No worker is running: ' : 'Not run by any live worker: '}
          {unowned.join(', ')}. A dead worker&apos;s units move to another within {leaseMs / 1000} s.
        </p>
      ) : null}
      {workers.length === 0 ? (
        <p className="muted">No live worker.</p>
      ) : (
        <Table className="workers" aria-label="Workers">
          <thead>
            <tr>
              <th>Worker</th>
              <th>Started</th>
              <th>Last heartbeat</th>
              <th>Health port</th>
              <th>Units</th>
            </tr>
          </thead>
          <tbody>
            {workers.map((worker) => (
              <tr key={worker.workerId} data-worker={worker.workerId}>
                <td>
                  {worker.host} <span className="muted">pid {worker.pid}</span>
                </td>
                <td>{formatDateTime(worker.startedAt)}</td>
                <td>{formatDateTime(worker.heartbeatAt)}</td>
                <td>{worker.port ?? <span className="muted">—</span>}</td>
                <td>
                  {worker.units.length}: <span className="muted">{worker.units.join(', ')}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
