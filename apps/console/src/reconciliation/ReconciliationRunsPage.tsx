import { Link, useNavigate, useSearchParams } from 'react-router';
import { useApi } from '../api/use-api';
import { formatDateTime } from '../ui/format';
import { Loading } from '../ui/Loading';
import { StatusBadge } from '../ui/StatusBadge';
import { NewRunForm } from './NewRunForm';
import { formatPeriod, phaseLabel, type ReconciliationRun, type RunList, scopeOf } from './reconciliation-api';
import { FindingCounts } from './FindingCounts';
import { useRefreshWhile } from './use-refresh-while';
import { Table } from '../ui/Table';
import './reconciliation.css';

const PAGE_SIZE = 20;

/**
 * Finance's reconciliation runs, newest first, a page at a time (`?before=` is the API's cursor),
 * with the form that starts a new one. The list refreshes itself while a run on it is working.
 */
export function ReconciliationRunsPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const before = params.get('before') ?? undefined;
  const runs = useApi(
    (api, signal) => api.get<RunList>('/reconciliation/runs', { query: { limit: PAGE_SIZE, before }, signal }),
    [before],
  );
  useRefreshWhile(runs.data?.data.some((run) => run.status === 'running') ?? false, runs);

  return (
    <section>
      <h1>Reconciliation</h1>
      <NewRunForm onStarted={(run) => navigate(`/reconciliation/${run.id}`)} />
      <div className="card">
        <h2>Runs</h2>
        <Loading loaded={runs}>
          {(list) => (
            <>
              {list.data.length === 0 ? (
                <p className="muted">
                  {before ? 'No older runs.' : 'No reconciliation run yet: start one above for a period.'}
                </p>
              ) : (
                <RunsTable runs={list.data} />
              )}
              <div className="actions">
                {before ? <Link to="/reconciliation">Newest runs</Link> : null}
                {list.next ? (
                  <Link to={`/reconciliation?before=${encodeURIComponent(list.next)}`}>Older runs →</Link>
                ) : null}
              </div>
            </>
          )}
        </Loading>
      </div>
    </section>
  );
}

function RunsTable({ runs }: { runs: ReconciliationRun[] }) {
  return (
    <Table className="runs" aria-label="Reconciliation runs">
      <thead>
        <tr>
          <th>Period (UTC, end excluded)</th>
          <th>Scope</th>
          <th>Status</th>
          <th>Findings</th>
          <th>Requested</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-run={run.id} className={run.findings ? 'warn' : undefined}>
            <td>
              <Link to={`/reconciliation/${run.id}`}>{formatPeriod(run.period)}</Link>
            </td>
            <td>{scopeOf(run)}</td>
            <td>
              <StatusBadge status={run.status} />
            </td>
            <td>
              <RunOutcome run={run} />
            </td>
            <td>
              {formatDateTime(run.requestedAt)}
              <div className="muted">by {run.requestedBy}</div>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** Findings by kind once done; what it is doing while it runs; why it stopped otherwise. */
function RunOutcome({ run }: { run: ReconciliationRun }) {
  if (run.status === 'running') {
    return (
      <span className="muted">
        {run.phase ? `${phaseLabel(run.phase)}, ` : 'starting, '}
        {run.eventsRead.toLocaleString('en')} events read
      </span>
    );
  }
  if (run.status === 'interrupted') return <span className="muted">Its process stopped; start it again.</span>;
  if (run.status === 'failed') return <span className="field-error">{run.error ?? 'failed'}</span>;
  return <FindingCounts total={run.findings ?? 0} byKind={run.findingsByKind ?? {}} />;
}
