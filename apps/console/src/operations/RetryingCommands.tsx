import { formatDateTime } from '../ui/format';
import { retryText } from '../ui/StripeSyncNote';
import { Table } from '../ui/Table';
import type { OutboundCommand } from './operations-api';

/**
 * The commands whose Stripe call failed in a way that passes (429, 409, 5xx, no answer) and that
 * the process manager waits to try again: which attempt, why, and when. Nothing when none is.
 */
export function RetryingCommands({ commands }: { commands: OutboundCommand[] }) {
  const retrying = commands.filter((command) => command.retrying !== null);
  if (retrying.length === 0) return null;
  return (
    <Table aria-label="Commands being retried">
      <thead>
        <tr>
          <th>Issued</th>
          <th>Command</th>
          <th>By</th>
          <th>Retry</th>
        </tr>
      </thead>
      <tbody>
        {retrying.map(({ commandEventId, occurredAt, commandEventType, stream, actor, retrying: retry }) => (
          <tr key={commandEventId}>
            <td>{formatDateTime(occurredAt)}</td>
            <td>
              {commandEventType ?? '—'} <code>{stream ?? ''}</code>
            </td>
            <td>{actor ?? '—'}</td>
            <td>{retryText(retry!.attempt, retry!.reason, retry!.nextAttemptAt)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
