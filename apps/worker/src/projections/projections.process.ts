import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import type { EventStore } from '@ledgerline/event-store';
import type { LeasedUnit } from '@ledgerline/leases';
import { type Projector, PROJECTORS, ProjectionStore, RebuildRequests } from '@ledgerline/projections';
import type { WorkerProcess } from '../worker-process';
import { ProjectionUnit } from './projection-unit';

const REBUILD_POLL_MS = 500;

/**
 * Every projector as a unit of its own (one failing projection never stalls another; several
 * workers share them out), and the loop that hands waiting rebuild requests to the units this
 * worker runs, one rebuild at a time per worker.
 */
@Injectable()
export class ProjectionsProcess implements WorkerProcess {
  readonly name = 'projections';
  private readonly logger = new Logger('Projections');
  private projectionUnits: ProjectionUnit[] = [];
  private readonly halt = new AbortController();
  private rebuilds: Promise<void> | null = null;

  constructor(
    @Inject(PROJECTORS) private readonly projectors: Projector[],
    private readonly projections: ProjectionStore,
    private readonly dataSource: DataSource,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {}

  async units(store: EventStore): Promise<LeasedUnit[]> {
    const requests = new RebuildRequests(this.dataSource);
    const options = { batchSize: this.config.projectionBatchSize, log: (message: string) => this.logger.warn(message) };
    this.projectionUnits = this.projectors.map(
      (projector) => new ProjectionUnit(projector, store, this.projections, requests, options),
    );
    this.rebuilds = this.pollRebuilds();
    return this.projectionUnits;
  }

  async stop(): Promise<void> {
    this.halt.abort();
    await this.rebuilds;
  }

  private async pollRebuilds(): Promise<void> {
    while (!this.halt.signal.aborted) {
      await sleep(REBUILD_POLL_MS, undefined, { signal: this.halt.signal }).catch(() => undefined);
      const idle = this.projectionUnits.filter((unit) => unit.idle);
      if (this.halt.signal.aborted || idle.length === 0) continue;
      try {
        const rows: { projection: string }[] = await this.dataSource.query(
          `SELECT projection FROM projections.rebuild_requests WHERE status = 'requested' ORDER BY id`,
        );
        const next = rows.map((row) => idle.find((unit) => unit.projector.name === row.projection)).find(Boolean);
        // Awaited: one rebuild at a time per worker, as each reads the whole store.
        if (next) await next.rebuild();
      } catch (error) {
        this.logger.error(`rebuild coordinator: ${(error as Error).message}`);
      }
    }
  }
}
