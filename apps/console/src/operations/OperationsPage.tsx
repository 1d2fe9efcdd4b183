import { ErrorMessage } from '../ui/ErrorMessage';
import { LoadingLine } from '../ui/Loading';
import { isActive, loadOperations, type OperationsSnapshot } from './operations-api';
import { OutboundSyncCard } from './OutboundSyncCard';
import { ParkedEventsTable } from './ParkedEventsTable';
import { ProjectionsTable } from './ProjectionsTable';
import { RecentRebuilds } from './RecentRebuilds';
import { useRebuildEstimates } from './rebuild-estimates';
import { usePolling } from './use-polling';
import { WorkersTable } from './WorkersTable';
import './operations.css';

/** Every 2 s; every second while a rebuild runs, so its bar and speed follow it closely. */
const REFRESH_MS = 2_000;
const REFRESH_DURING_REBUILD_MS = 1_000;

const isRebuilding = (data: OperationsSnapshot | undefined) => data?.rebuilds.some(isActive) ?? false;
const intervalFor = (data: OperationsSnapshot | undefined) =>
  isRebuilding(data) ? REFRESH_DURING_REBUILD_MS : REFRESH_MS;

/**
 * The admin's view of the projection engine (decision 0006): projections and their lag, parked
 * events to retry or skip, the workers and what each runs (decision 0016), rebuilds and their
 * progress. It refreshes itself while open.
 */
export function OperationsPage() {
  const { data, error, updatedAt, refresh } = usePolling(loadOperations, intervalFor);
  const rebuilding = isRebuilding(data);
  const estimates = useRebuildEstimates(data?.rebuilds, updatedAt);

  return (
    <section>
      <div className="page-heading">
        <h1>Operations</h1>
        <p className="muted" aria-live="off">
          Refreshes every {(rebuilding ? REFRESH_DURING_REBUILD_MS : REFRESH_MS) / 1000} s
          {updatedAt ? ` · updated ${new Date(updatedAt).toLocaleTimeString()}` : ''}
        </p>
      </div>
      {data === undefined ? (
        error ? (
          <ErrorMessage error={error} />
        ) : (
          <LoadingLine />
        )
      ) : (
        <>
          {error ? (
            <div className="stale-warning">
              <p>
                Could not refresh; showing what was loaded
                {updatedAt ? ` at ${new Date(updatedAt).toLocaleTimeString()}` : ''}. Still trying.
              </p>
              <ErrorMessage error={error} />
            </div>
          ) : null}
          <div className="card">
            <h2>Projections</h2>
            <ProjectionsTable
              projections={data.projections}
              rebuilds={data.rebuilds}
              estimates={estimates}
              onChanged={refresh}
            />
          </div>
          <div className="card" id="parked">
            <h2>Parked events ({data.parked.length})</h2>
            <ParkedEventsTable parked={data.parked} onChanged={refresh} />
          </div>
          <div className="card" id="workers">
            <h2>Workers ({data.workers.workers.length})</h2>
            <WorkersTable overview={data.workers} />
          </div>
          <OutboundSyncCard outbound={data.outbound} />
          <div className="card">
            <h2>Recent rebuilds</h2>
            <RecentRebuilds rebuilds={data.rebuilds} />
          </div>
        </>
      )}
    </section>
  );
}
