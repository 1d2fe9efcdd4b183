import { formatDateTime } from '../ui/format';
import type { OutboundSyncOverview } from './operations-api';
import { Table } from '../ui/Table';
import { RetryingCommands } from './RetryingCommands';

/**
 * The outbound sync to Stripe (`GET /admin/stripe-sync`): running or paused and why, the commands
 * waiting (and those being retried, with why), synced and failed, since when the oldest waits, and
 * the most recent failures with Stripe's reason.
 */
export function OutboundSyncCard({ outbound }: { outbound: OutboundSyncOverview }) {
  const paused = outbound.outbound.status === 'paused';
  const failures = outbound.commands.data;
  return (
    <div className="card" id="outbound-sync" aria-labelledby="outbound-sync-title">
      <h2 id="outbound-sync-title">Outbound sync to Stripe</h2>
      <p className={paused ? 'stale-warning' : undefined} data-testid="outbound-status">
        {paused ? `Paused: ${outbound.outbound.reason ?? 'no reason given'}` : 'Running'}
      </p>
      <dl className="facts">
        <dt>Waiting</dt>
        <dd>
          {outbound.pending}
          {outbound.oldestPendingAt ? ` (oldest since ${formatDateTime(outbound.oldestPendingAt)})` : ''}
        </dd>
        <dt>Retrying</dt>
        <dd>{outbound.retrying}</dd>
        <dt>Failed</dt>
        <dd>{outbound.failed}</dd>
        <dt>Synced</dt>
        <dd>{outbound.synced}</dd>
      </dl>
      <RetryingCommands commands={outbound.retryingCommands} />
      {failures.length ? (
        <Table aria-label="Recent outbound failures">
          <thead>
            <tr>
              <th>When</th>
              <th>Command</th>
              <th>By</th>
              <th>Reason</th>
              <th>Attempts</th>
            </tr>
          </thead>
          <tbody>
            {failures.map((command) => (
              <tr key={command.commandEventId} className="warn">
                <td>{formatDateTime(command.outcomeAt ?? command.occurredAt)}</td>
                <td>
                  {command.commandEventType ?? '—'} <code>{command.stream ?? ''}</code>
                </td>
                <td>{command.actor ?? '—'}</td>
                <td>{command.reason ?? '—'}</td>
                <td>{command.attempts}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="muted">No failures.</p>
      )}
    </div>
  );
}
