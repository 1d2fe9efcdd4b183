import type { EventStore } from '@ledgerline/event-store';
import type { LeasedUnit } from '@ledgerline/leases';

/**
 * A feature of the worker (the projections, a process manager). It brings units of work; each
 * unit runs in exactly one live worker at a time, under a lease (docs/decisions/0016-work-leases.md).
 */
export interface WorkerProcess {
  readonly name: string;
  /** Its units, none when the feature is not configured here; called once at start. */
  units(store: EventStore): Promise<LeasedUnit[]>;
  /** Called after every unit has stopped. */
  stop?(): Promise<void>;
}

export const WORKER_PROCESSES = Symbol.for('ledgerline.WorkerProcesses');
