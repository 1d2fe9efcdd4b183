import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApi } from '../api/use-api';
import { useApiClient } from '../session/session';
import { ErrorMessage } from '../ui/ErrorMessage';
import { Loading } from '../ui/Loading';
import { StatusBadge } from '../ui/StatusBadge';
import { FindingsTable } from './FindingsTable';
import { LedgerTable, LedgerTotals } from './LedgerTable';
import { formatPeriod, runPath, type RunWithReport } from './reconciliation-api';
import { RunSummary } from './RunSummary';
import { useRefreshWhile } from './use-refresh-while';
import './reconciliation.css';

/**
 * One reconciliation run: what it was asked, how far it got (refreshing until it is done), then its
 * report: totals per currency and account, the findings to work through, the daily ledger, and
 * the whole report as CSV.
 */
export function ReconciliationRunPage() {
  const { id = '' } = useParams();
  const run = useApi((api, signal) => api.get<RunWithReport>(runPath(id), { signal }), [id]);
  useRefreshWhile(run.data?.status === 'running', run);

  return (
    <section>
      <p>
        <Link to="/reconciliation">← Reconciliation runs</Link>
      </p>
      <Loading loaded={run}>
        {(data) => (
          <>
            <div className="page-heading">
              <h1>
                Run {formatPeriod(data.period)} <StatusBadge status={data.status} />
              </h1>
              <DownloadCsv run={data} />
            </div>
            <RunSummary run={data} />
            {data.report ? (
              <>
                <div className="card">
                  <h2>Totals for the period</h2>
                  <LedgerTotals totals={data.report.totals} />
                </div>
                <div className="card">
                  <h2>Findings ({data.report.findings.length})</h2>
                  <FindingsTable findings={data.report.findings} />
                </div>
                <details className="card">
                  <summary>
                    <h2>
                      Daily ledger ({data.report.ledger.length} {data.report.ledger.length === 1 ? 'line' : 'lines'})
                    </h2>
                  </summary>
                  <LedgerTable lines={data.report.ledger} />
                </details>
              </>
            ) : null}
          </>
        )}
      </Loading>
    </section>
  );
}

/** The report as CSV, fetched with the key (a plain link could not carry it), once there is one. */
function DownloadCsv({ run }: { run: RunWithReport }) {
  const api = useApiClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!run.report) return null;
  const fileName = `reconciliation-${run.period.from.slice(0, 10)}-${run.period.to.slice(0, 10)}-${run.id}.csv`;
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.download(`${runPath(run.id)}/report.csv`, undefined, fileName);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="download">
      <button type="button" className="primary" onClick={() => void download()} disabled={busy}>
        {busy ? 'Downloading…' : 'Download CSV'}
      </button>
      <ErrorMessage error={error} />
    </div>
  );
}
