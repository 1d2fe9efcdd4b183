import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import type { EventStore } from '@ledgerline/event-store';
import {
  ProjectionRunner,
  type Projector,
  PROJECTORS,
  ProjectionStore,
  RebuildAlreadyActiveError,
  Rebuilder,
  RebuildRequests,
} from '@ledgerline/projections';
import type { WorkerProcess } from '../worker-process';

const REBUILD_POLL_MS = 500;

/**
 * Runs every projector with its own runner (one failing projection never stalls another) and
 * carries out rebuild requests, filing one itself for a projector whose version has changed.
 */
@Injectable()
export class ProjectionsProcess implements WorkerProcess {
  readonly name = 'projections';
  private readonly logger = new Logger('Projections');
  private runners = new Map<string, ProjectionRunner>();
  private stopping = false;
  private rebuilds: Promise<void> | null = null;

  constructor(
    @Inject(PROJECTORS) private readonly projectors: Projector[],
    private readonly projections: ProjectionStore,
    private readonly dataSource: DataSource,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {}

  async start(store: EventStore): Promise<void> {
    const log = (message: string) => this.logger.warn(message);
    const requests = new RebuildRequests(this.dataSource);
    for (const projector of this.projectors) {
      const state = await this.projections.register(projector.name, projector.version);
      if (state.version !== projector.version) {
        await requests
          .request(projector.name, `version ${state.version} -> ${projector.version}`)
          .catch((error) => (error instanceof RebuildAlreadyActiveError ? null : Promise.reject(error)));
      }
      const options = { log, batchSize: this.config.projectionBatchSize };
      this.runners.set(projector.name, new ProjectionRunner(projector, store, this.projections, options));
    }
    await Promise.all([...this.runners.values()].map((runner) => runner.start()));
    const rebuilder = new Rebuilder(this.dataSource, store, this.projections, requests, this.runners, (message) =>
      this.logger.log(message),
    );
    this.stopping = false;
    this.rebuilds = this.pollRebuilds(rebuilder);
    this.logger.log(`running ${[...this.runners.keys()].join(', ')}`);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.rebuilds;
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
  }

  private async pollRebuilds(rebuilder: Rebuilder): Promise<void> {
    while (!this.stopping) {
      const handled = await rebuilder.runNext().catch((error: Error) => {
        this.logger.error(`rebuild coordinator: ${error.message}`);
        return false;
      });
      if (!handled) await sleep(REBUILD_POLL_MS);
    }
  }
}
