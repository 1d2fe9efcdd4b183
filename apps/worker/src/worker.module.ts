import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { LeaseCoordinator } from '@ledgerline/leases';
import { MetricsRegistry } from '@ledgerline/observability';
import {
  describeProjections,
  ProjectionMetrics,
  projectionProviders,
  ProjectionStore,
  projectionUnitName,
  StallWatch,
} from '@ledgerline/projections';
import { allProjectors } from '@ledgerline/read-models';
import { CommandsModule } from '@ledgerline/commands';
import { NotificationsProcess } from './notifications/notifications.process';
import { ProductImportProcess } from './product-import/product-import.process';
import { ProjectionsProcess } from './projections/projections.process';
import { StripeSyncProcess } from './stripe-sync/stripe-sync.process';
import { WorkerHttpServer } from './worker-http';
import { type WorkerProcess, WORKER_PROCESSES } from './worker-process';

export { type WorkerProcess, WORKER_PROCESSES } from './worker-process';

/**
 * Collects the units of every registered WorkerProcess and runs this worker's share of them under
 * leases (docs/decisions/0016-work-leases.md): any number of workers may run against the same
 * databases. Serves /health/live, /health/ready and /metrics on WORKER_PORT.
 */
export class WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private coordinator: LeaseCoordinator | null = null;
  private http: WorkerHttpServer | null = null;
  private stallWatch: StallWatch | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsRegistry,
    private readonly projections: ProjectionStore,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
    @Optional() @Inject(WORKER_PROCESSES) private readonly processes: WorkerProcess[] = [],
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { workers } = this.config;
    const units = (await Promise.all(this.processes.map((process) => process.units(this.store)))).flat();
    const identity = {
      id: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      host: hostname(),
      pid: process.pid,
      port: null as number | null,
    };
    if (workers.port !== null) {
      this.http = new WorkerHttpServer(this.dataSource, this.store, this.metrics, () => this.coordinator);
      identity.port = await this.http.listen(workers.port);
    }
    this.coordinator = new LeaseCoordinator(this.dataSource, identity, units, {
      heartbeatMs: workers.heartbeatMs,
      ttlMs: workers.leaseMs,
      log: (message) => this.logger.log(message),
    });
    await this.coordinator.start();
    this.watchForStalls(this.coordinator);
    const head = await this.store.headPosition();
    const where = identity.port === null ? '' : `; health and metrics on port ${identity.port}`;
    this.logger.log(
      `worker running ${this.coordinator.owned().length} of ${units.length} unit(s) as ${identity.id}; event store head at position ${head}${where}`,
    );
  }

  /** Each worker logs the stalls of the projections it runs: one line when it stalls, one when it moves. */
  private watchForStalls(coordinator: LeaseCoordinator): void {
    const stallSeconds = this.config.projectionStallSeconds;
    this.stallWatch = new StallWatch({
      statuses: () => describeProjections(this.store, this.projections, { stallSeconds }),
      log: (line) => this.logger.warn(line),
      watches: (name) => coordinator.owned().includes(projectionUnitName(name)),
    });
    this.stallWatch.start(Math.min(5_000, stallSeconds * 500));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stallWatch?.stop();
    await this.coordinator?.stop();
    this.coordinator = null;
    for (const process of [...this.processes].reverse()) await process.stop?.();
    await this.http?.close();
  }
}

@Module({
  imports: [CommandsModule],
  providers: [
    ...projectionProviders(allProjectors),
    ProjectionMetrics,
    ProjectionsProcess,
    NotificationsProcess,
    StripeSyncProcess,
    ProductImportProcess,
    {
      provide: WORKER_PROCESSES,
      useFactory: (
        projections: ProjectionsProcess,
        notifications: NotificationsProcess,
        sync: StripeSyncProcess,
        productImport: ProductImportProcess,
      ) => [projections, notifications, sync, productImport],
      inject: [ProjectionsProcess, NotificationsProcess, StripeSyncProcess, ProductImportProcess],
    },
    WorkerHost,
  ],
})
export class WorkerModule {}
