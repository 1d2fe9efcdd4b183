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
import { CommandsModule } from '@ledgerline/commands';
import { NotificationsProcess } from './notifications/notifications.process';
import { ProductImportProcess } from './product-import/product-import.process';
import { ProjectionsProcess } from './projections/projections.process';
import { StripeSyncProcess } from './stripe-sync/stripe-sync.process';
import { type WorkerProcess, WORKER_PROCESSES } from './worker-process';

export { type WorkerProcess, WORKER_PROCESSES } from './worker-process';

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
  imports: [CommandsModule],
  providers: [
    ...projectionProviders(allProjectors),
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
