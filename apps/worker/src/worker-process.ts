import type { EventStore } from '@ledgerline/event-store';

/** A long-running part of the worker (a projection runner, a process manager). */
export interface WorkerProcess {
  readonly name: string;
  start(store: EventStore): Promise<void>;
  stop(): Promise<void>;
}

export const WORKER_PROCESSES = Symbol.for('ledgerline.WorkerProcesses');
