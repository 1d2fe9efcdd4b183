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
}

/** Every projection's progress against the store's head, for /admin/projections and /metrics. */
export async function describeProjections(
  store: EventStore,
  projections: ProjectionStore,
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
      return {
        name: state.name,
        version: state.version,
        position: Number(position),
        headPosition: Number(head),
        lag: Number(head > position ? head - position : 0n),
        lagSeconds: Math.round(lagSeconds * 1000) / 1000,
        status: state.status,
        lastError: state.last_error,
        lastErrorAt: state.last_error_at?.toISOString() ?? null,
        parked: parked.get(state.name) ?? 0,
      };
    }),
  );
}
