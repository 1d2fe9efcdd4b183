import type { EventStore } from '@ledgerline/event-store';
import type { ProjectionStore } from './projection-store';

export interface ProjectionStatus {
  name: string;
  version: number;
  position: number;
  headPosition: number;
  /** Events appended after the projection's checkpoint. */
  lag: number;
  /** Age of the oldest event the projection has not handled yet; 0 when caught up. */
  lagSeconds: number;
  status: string;
  lastError: string | null;
  lastErrorAt: string | null;
  parked: number;
  /**
   * Behind the head, its position unmoved for longer than the threshold, and its oldest unhandled
   * event older than it too (so a projection idle for hours that has just got an event is not).
   */
  stalled: boolean;
  /** How long it has been stuck: the shorter of the two ages above; 0 when not stalled. */
  stalledSeconds: number;
}

export interface ProjectionStatusOptions {
  /** PROJECTION_STALL_SECONDS; its default when omitted. */
  stallSeconds?: number;
}

export const DEFAULT_STALL_SECONDS = 30;

/** Every projection's progress against the store's head, for /admin/projections and /metrics. */
export async function describeProjections(
  store: EventStore,
  projections: ProjectionStore,
  { stallSeconds = DEFAULT_STALL_SECONDS }: ProjectionStatusOptions = {},
): Promise<ProjectionStatus[]> {
  const [states, head, parked] = await Promise.all([
    projections.states(),
    store.headPosition(),
    projections.parkedCounts(),
  ]);
  return Promise.all(
    states.map(async (state) => {
      const position = BigInt(state.position);
      let lagSeconds = 0;
      if (position < head) {
        const [next] = (await store.readAll({ from: position, maxCount: 1 })).events;
        if (next) lagSeconds = Math.max(0, (Date.now() - Date.parse(next.metadata.recordedAt)) / 1000);
      }
      // Stuck for as long as it has both not moved and had an event waiting.
      const stuckSeconds =
        lagSeconds > stallSeconds ? Math.min(lagSeconds, (Date.now() - state.advanced_at.getTime()) / 1000) : 0;
      const stalled = stuckSeconds > stallSeconds;
      return {
        name: state.name,
        version: state.version,
        position: Number(position),
        headPosition: Number(head),
        lag: Number(head > position ? head - position : 0n),
        lagSeconds: roundToMs(lagSeconds),
        status: state.status,
        lastError: state.last_error,
        lastErrorAt: state.last_error_at?.toISOString() ?? null,
        parked: parked.get(state.name) ?? 0,
        stalled,
        stalledSeconds: stalled ? roundToMs(stuckSeconds) : 0,
      };
    }),
  );
}

const roundToMs = (seconds: number) => Math.round(seconds * 1000) / 1000;
