import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { projectionProviders } from '@ledgerline/projections';
import { allProjectors } from '@ledgerline/read-models';
import { ProjectionsProcess } from './projections/projections.process';

/** A long-running part of the worker (a projection runner, a process manager). */
export interface WorkerProcess {
  readonly name: string;
  start(store: EventStore): Promise<void>;
  stop(): Promise<void>;
}

export const WORKER_PROCESSES = Symbol.for('ledgerline.WorkerProcesses');

/**
 * Starts every registered WorkerProcess after the app has bootstrapped and stops them, newest
 * first, on shutdown. Features register theirs under WORKER_PROCESSES.
 */
export class WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly started: WorkerProcess[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(WORKER_PROCESSES) private readonly processes: WorkerProcess[] = [],
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const process of this.processes) {
      await process.start(this.store);
      this.started.push(process);
    }
    const head = await this.store.headPosition();
    this.logger.log(`worker running ${this.started.length} process(es); event store head at position ${head}`);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const process of this.started.reverse()) await process.stop();
    this.started.length = 0;
  }
}

@Module({
  providers: [
    ...projectionProviders(allProjectors),
    ProjectionsProcess,
    {
      provide: WORKER_PROCESSES,
      useFactory: (projections: ProjectionsProcess) => [projections],
      inject: [ProjectionsProcess],
    },
    WorkerHost,
  ],
})
export class WorkerModule {}
