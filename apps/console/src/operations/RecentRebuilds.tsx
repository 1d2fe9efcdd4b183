import { formatDateTime, toDate } from '../ui/format';
import { StatusBadge } from '../ui/StatusBadge';
import type { RebuildRequest } from './operations-api';
import { formatDuration } from './rebuild-speed';
import { Table } from '../ui/Table';

const SHOWN = 10;

/** The latest rebuild requests and how each ended: an operator checks here that theirs switched over. */
export function RecentRebuilds({ rebuilds }: { rebuilds: RebuildRequest[] }) {
  if (rebuilds.length === 0) return <p className="muted">No rebuild has been requested yet.</p>;
  return (
    <Table className="rebuilds" aria-label="Recent rebuilds">
      <thead>
        <tr>
          <th>Projection</th>
          <th>Status</th>
          <th>Why</th>
          <th>Requested</th>
          <th>Took</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        {rebuilds.slice(0, SHOWN).map((rebuild) => (
          <tr key={rebuild.id} data-rebuild={rebuild.id} className={rebuild.status === 'failed' ? 'warn' : undefined}>
            <td>{rebuild.projection}</td>
            <td>
              <StatusBadge status={rebuild.status} />
            </td>
            <td>{rebuild.reason}</td>
            <td>{formatDateTime(rebuild.requestedAt)}</td>
            <td>{took(rebuild)}</td>
            <td>{rebuild.error ?? <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function took(rebuild: RebuildRequest): string {
  const from = toDate(rebuild.requestedAt);
  const to = toDate(rebuild.finishedAt);
  if (!from || !to) return '—';
  return formatDuration(Math.max(0, (to.getTime() - from.getTime()) / 1000));
}
