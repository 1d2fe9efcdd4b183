import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EventStore } from '@ledgerline/event-store';
import { ProjectionRunner, type Projector, PROJECTORS, ProjectionStore } from '@ledgerline/projections';
import type { WorkerProcess } from '../worker-process';

/** Runs every projector with its own runner: one failing projection never stalls another. */
@Injectable()
export class ProjectionsProcess implements WorkerProcess {
  readonly name = 'projections';
  private readonly logger = new Logger('Projections');
  private runners: ProjectionRunner[] = [];

  constructor(
    @Inject(PROJECTORS) private readonly projectors: Projector[],
    private readonly projections: ProjectionStore,
  ) {}

  async start(store: EventStore): Promise<void> {
    this.runners = this.projectors.map(
      (projector) =>
        new ProjectionRunner(projector, store, this.projections, { log: (message) => this.logger.warn(message) }),
    );
    await Promise.all(this.runners.map((runner) => runner.start()));
    this.logger.log(`running ${this.runners.map((runner) => runner.name).join(', ')}`);
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }
}
