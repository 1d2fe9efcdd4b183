import type { ProjectionStatus } from './projection-status';

export interface StallWatchOptions {
  /** The projections' statuses, e.g. describeProjections with PROJECTION_STALL_SECONDS. */
  statuses: () => Promise<ProjectionStatus[]>;
  log: (line: string) => void;
  /** Which projections to watch (e.g. those this worker runs); all when omitted. */
  watches?: (name: string) => boolean;
}

/**
 * Logs a projection entering and leaving the stalled state, one line each: a stall has no error
 * of its own to log, and a line repeated at every check would bury it.
 */
export class StallWatch {
  private readonly stalled = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private failing = false;

  constructor(private readonly options: StallWatchOptions) {}

  async check(): Promise<void> {
    const { statuses, log, watches = () => true } = this.options;
    const seen = new Set<string>();
    for (const status of await statuses()) {
      if (!watches(status.name)) continue;
      seen.add(status.name);
      if (status.stalled && !this.stalled.has(status.name)) {
        this.stalled.add(status.name);
        log(
          `projection ${status.name} stalled at position ${status.position}: lag ${status.lag} events, ` +
            `no progress for ${Math.round(status.stalledSeconds)} s`,
        );
      } else if (!status.stalled && this.stalled.delete(status.name)) {
        log(`projection ${status.name} moving again at position ${status.position}: lag ${status.lag} events`);
      }
    }
    // One no longer listed or watched (removed, or run elsewhere now) is forgotten without a line.
    for (const name of this.stalled) if (!seen.has(name)) this.stalled.delete(name);
  }

  /** Checks every `intervalMs`, never two checks at once; a failing check is logged once per outage. */
  start(intervalMs: number): void {
    if (this.timer) return;
    const tick = () => {
      this.running = this.check()
        .then(() => (this.failing = false))
        .catch((error: Error) => {
          if (!this.failing) this.options.log(`projection stall check failed: ${error.message}`);
          this.failing = true;
        })
        .then(() => {
          this.running = null;
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  /** Stops checking; resolves once a check in progress is over. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
