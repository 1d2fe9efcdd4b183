import type { ApiClient } from '../api/api-client';
import type { Answer, Schemas } from '../api/api-schemas';

/** `GET /admin/projections`: one projection's progress against the store's head (decision 0006). */
export type ProjectionStatus = Schemas['ProjectionStatus'];

/** `GET /admin/rebuilds`: newest first; `progress` while the worker carries one out. */
export type RebuildRequest = Answer<'/admin/rebuilds', 'get'>[number];

export type RebuildStatus = RebuildRequest['status'];

/** `GET /admin/parked`: an event a projection failed to apply (after retries) and stepped over. */
export type ParkedEvent = Answer<'/admin/parked', 'get'>[number];

/** `GET /admin/parked/:projection/:position/event`: the parked event as stored, payload and metadata. */
export type ParkedEventPayload = Answer<'/admin/parked/{projection}/{position}/event', 'get'>;

/** `GET /admin/workers`: the live workers and the units of work each runs under its lease (decision 0016). */
export type WorkersOverview = Schemas['WorkersOverview'];

/**
 * `GET /admin/stripe-sync?status=failed`: the outbound sync running or paused (and why), how many
 * commands wait (of them being retried), were synced or failed, and the most recent failures;
 * with the commands being retried now (`?status=retrying`).
 */
export type OutboundSyncOverview = Answer<'/admin/stripe-sync', 'get'> & { retryingCommands: OutboundCommand[] };

/** A command of GET /admin/stripe-sync: its outcome, or while pending the retry it waits out (`retrying`). */
export type OutboundCommand = Answer<'/admin/stripe-sync', 'get'>['commands']['data'][number];

/** The failures the Outbound sync card lists, and the commands being retried. */
export const RECENT_FAILURES = 5;

export interface OperationsSnapshot {
  projections: ProjectionStatus[];
  rebuilds: RebuildRequest[];
  parked: ParkedEvent[];
  workers: WorkersOverview;
  outbound: OutboundSyncOverview;
}

/** The lists are read together, so one refresh shows them as of the same moment. */
export async function loadOperations(api: ApiClient, signal: AbortSignal): Promise<OperationsSnapshot> {
  type Outbound = Answer<'/admin/stripe-sync', 'get'>;
  const [projections, rebuilds, parked, workers, outbound, retrying] = await Promise.all([
    api.get<ProjectionStatus[]>('/admin/projections', { signal }),
    api.get<RebuildRequest[]>('/admin/rebuilds', { signal }),
    api.get<ParkedEvent[]>('/admin/parked', { signal }),
    api.get<WorkersOverview>('/admin/workers', { signal }),
    api.get<Outbound>(`/admin/stripe-sync?status=failed&limit=${RECENT_FAILURES}`, { signal }),
    api.get<Outbound>(`/admin/stripe-sync?status=retrying&limit=${RECENT_FAILURES}`, { signal }),
  ]);
  return {
    projections,
    rebuilds,
    parked,
    workers,
    outbound: { ...outbound, retryingCommands: retrying.commands.data },
  };
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

export function parkedPath(event: ParkedEvent, action: 'retry' | 'skip' | 'event'): string {
  return `/admin/parked/${encodeURIComponent(event.projection)}/${event.position}/${action}`;
}
