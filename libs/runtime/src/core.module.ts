import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LedgerlineConfigModule, type LedgerlineConfig } from '@ledgerline/config';
import { createDataSource } from '@ledgerline/database';
import { createEventStore, EVENT_STORE, type EventStore, type EventStoreTarget } from '@ledgerline/event-store';
import { withUpcasting } from '@ledgerline/events';
import { LoggingModule, MetricsRegistry, type ProcessLogger, silentLogger } from '@ledgerline/observability';
import { READ_MODEL_MIGRATIONS } from './migrations';

export interface CoreModuleOptions {
  config: LedgerlineConfig;
  databaseUrl: string;
  eventStore: EventStoreTarget;
  /** The process's logger (runProcess creates it); none: nothing is logged (in-process tests). */
  logger?: ProcessLogger;
}

class CoreResources implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** What every Ledgerline process shares: configuration, the read-model database, the event store, metrics, logging. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        LedgerlineConfigModule.forRoot(options.config),
        LoggingModule.forRoot(options.logger ?? silentLogger()),
      ],
      providers: [
        {
          provide: DataSource,
          useFactory: async () => createDataSource(options.databaseUrl, READ_MODEL_MIGRATIONS).initialize(),
        },
        // Everything the app reads comes out in the current schema versions (docs/events.md).
        { provide: EVENT_STORE, useFactory: () => withUpcasting(createEventStore(options.eventStore)) },
        MetricsRegistry,
        CoreResources,
      ],
      exports: [DataSource, EVENT_STORE, MetricsRegistry, LedgerlineConfigModule, LoggingModule],
    };
  }
}
