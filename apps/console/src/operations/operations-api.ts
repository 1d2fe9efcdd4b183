import type { ApiClient } from '../api/api-client';

/** `GET /admin/projections`: one projection's progress against the store's head (decision 0006). */
export interface ProjectionStatus {
  name: string;
  version: number;
  position: number;
  headPosition: number;
  /** Events appended after the projection's checkpoint. */
  lag: number;
  /** Age of the oldest event not handled yet; 0 when caught up. */
  lagSeconds: number;
  /** running, failing (resubscribing after an error), stopped, switching (a rebuild swapping tables) */
  status: string;
  lastError: string | null;
  lastErrorAt: string | null;
  parked: number;
  /** Behind the head and not moving for longer than the api's PROJECTION_STALL_SECONDS. */
  stalled: boolean;
  /** How long it has been stuck; 0 when not stalled. */
  stalledSeconds: number;
}

export type RebuildStatus = 'requested' | 'running' | 'cancelling' | 'cancelled' | 'done' | 'failed';

/** `GET /admin/rebuilds`: newest first; `progress` while the worker carries one out. */
export interface RebuildRequest {
  id: number;
  projection: string;
  status: RebuildStatus;
  reason: string;
  requestedAt: string;
  finishedAt: string | null;
  error: string | null;
  progress: { position: number; headPosition: number } | null;
}

/** `GET /admin/parked`: an event a projection failed to apply (after retries) and stepped over. */
export interface ParkedEvent {
  projection: string;
  position: number;
  eventId: string;
  type: string;
  stream: string;
  error: string;
  attempts: number;
  parkedAt: string;
}

/** `GET /admin/workers`: the live workers and the units of work each runs under its lease (decision 0016). */
export interface WorkersOverview {
  leaseMs: number;
  workers: {
    workerId: string;
    host: string;
    pid: number;
    port: number | null;
    startedAt: string;
    heartbeatAt: string;
    units: string[];
  }[];
  /** Units no live worker runs: their work waits. */
  unowned: string[];
}

export interface OperationsSnapshot {
  projections: ProjectionStatus[];
  rebuilds: RebuildRequest[];
  parked: ParkedEvent[];
  workers: WorkersOverview;
}

/** The lists are read together, so one refresh shows them as of the same moment. */
export async function loadOperations(api: ApiClient, signal: AbortSignal): Promise<OperationsSnapshot> {
  const [projections, rebuilds, parked, workers] = await Promise.all([
    api.get<ProjectionStatus[]>('/admin/projections', { signal }),
    api.get<RebuildRequest[]>('/admin/rebuilds', { signal }),
    api.get<ParkedEvent[]>('/admin/parked', { signal }),
    api.get<WorkersOverview>('/admin/workers', { signal }),
  ]);
  return { projections, rebuilds, parked, workers };
}

export const ACTIVE_REBUILD: readonly RebuildStatus[] = ['requested', 'running', 'cancelling'];

export function isActive(rebuild: RebuildRequest): boolean {
  return ACTIVE_REBUILD.includes(rebuild.status);
}

/**
 * A rebuild keeps its checkpoint in a state row of its own, `<name>:rebuild` (decision 0006), which
 * /admin/projections lists too; the console shows that progress on the projection's own row instead.
 */
export function isRebuildStateRow(name: string): boolean {
  return name.endsWith(':rebuild');
}

export function parkedPath(event: ParkedEvent, action: 'retry' | 'skip'): string {
  return `/admin/parked/${encodeURIComponent(event.projection)}/${event.position}/${action}`;
}
