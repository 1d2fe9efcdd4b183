import { formatDateTime } from '../ui/format';
import type { RebuildRequest } from './operations-api';
import { formatCount, formatDuration, type RebuildEstimate } from './rebuild-speed';

/**
 * Where an active rebuild is: waiting for the worker, replaying into the shadow tables (a bar with
 * events replayed of the store's head, speed and time left), or being cancelled.
 */
export function RebuildProgress({ rebuild, estimate }: { rebuild: RebuildRequest; estimate?: RebuildEstimate }) {
  const label = `Rebuild of ${rebuild.projection}`;
  if (rebuild.status === 'requested' || !rebuild.progress) {
    return (
      <div className="rebuild-progress" role="group" aria-label={label}>
        <strong>Rebuild requested</strong> {formatDateTime(rebuild.requestedAt)}
        <span className="muted"> · waiting for the worker to take it up</span>
      </div>
    );
  }
  const { position, headPosition } = rebuild.progress;
  const percent = headPosition > 0 ? Math.min(100, (position / headPosition) * 100) : 100;
  return (
    <div className="rebuild-progress" role="group" aria-label={label}>
      <div className="rebuild-progress-line">
        <strong>{rebuild.status === 'cancelling' ? 'Cancelling rebuild' : 'Rebuilding'}</strong>
        <div
          className="progress"
          role="progressbar"
          aria-label={`${label} progress`}
          aria-valuemin={0}
          aria-valuemax={headPosition}
          aria-valuenow={position}
        >
          <span style={{ width: `${percent}%` }} />
        </div>
        <span data-testid="rebuild-counts">
          {formatCount(position)} / {formatCount(headPosition)} events ({Math.floor(percent)} %)
        </span>
      </div>
      <div className="muted">
        {speedOf(estimate)} · requested {formatDateTime(rebuild.requestedAt)}
      </div>
    </div>
  );
}

function speedOf(estimate: RebuildEstimate | undefined): string {
  if (!estimate || estimate.rate === null) return 'measuring speed…';
  if (estimate.rate === 0) return 'no progress in the last 10 s';
  const left = estimate.secondsLeft === null ? '' : ` · about ${formatDuration(estimate.secondsLeft)} left`;
  return `${formatCount(Math.round(estimate.rate))} events/s${left}`;
}
