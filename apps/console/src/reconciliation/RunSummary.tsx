import { formatDateTime } from '../ui/format';
import { FindingCounts } from './FindingCounts';
import { formatPeriod, phaseLabel, type RunWithReport, scopeOf } from './reconciliation-api';

const SOURCES: Record<string, string> = {
  stripe_api: 'listed from Stripe’s API',
  events: 'taken from the events (no Stripe API key)',
};

/** What the run was asked and what it read; where it is while it runs, why it stopped if it did. */
export function RunSummary({ run }: { run: RunWithReport }) {
  const report = run.report;
  return (
    <div className="card">
      {run.status === 'running' ? (
        <p role="status" className="notice running-notice">
          Running: {run.phase ? phaseLabel(run.phase) : 'starting'}, {run.eventsRead.toLocaleString('en')} events read.
          This page refreshes until the run is done.
        </p>
      ) : null}
      {run.status === 'failed' ? (
        <div role="alert" className="error">
          <strong>The run failed</strong>
          <p>{run.error}</p>
        </div>
      ) : null}
      {run.status === 'interrupted' ? (
        <div role="alert" className="error">
          <strong>The run was interrupted</strong>
          <p>The process carrying it out stopped (restarted or killed) before it finished. Start it again.</p>
        </div>
      ) : null}
      <dl className="facts">
        <dt>Period</dt>
        <dd>
          {formatPeriod(run.period)} <span className="muted">(UTC, end excluded)</span>
        </dd>
        <dt>Scope</dt>
        <dd>{scopeOf(run)}</dd>
        <dt>Requested</dt>
        <dd>
          {formatDateTime(run.requestedAt)} by {run.requestedBy}
        </dd>
        <dt>Finished</dt>
        <dd>{formatDateTime(run.finishedAt)}</dd>
        <dt>Events up to position</dt>
        <dd>{run.position ?? '—'}</dd>
        <dt>Money events read</dt>
        <dd>{run.eventsRead.toLocaleString('en')}</dd>
        {report ? (
          <>
            <dt>Stripe balance transactions</dt>
            <dd>
              {report.balanceTransactions.count.toLocaleString('en')},{' '}
              {SOURCES[report.balanceTransactions.source] ?? report.balanceTransactions.source}
            </dd>
            <dt>Read models</dt>
            <dd>
              {report.readModels.checked
                ? `checked (${report.readModels.rows.toLocaleString('en')} rows)`
                : `not checked: ${report.readModels.reason ?? 'no reason given'}`}
            </dd>
            <dt>Findings</dt>
            <dd>
              <FindingCounts total={report.summary.findings} byKind={report.summary.byKind} />
            </dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}
