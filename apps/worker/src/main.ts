import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { nestLogger } from '@ledgerline/observability';
import { CoreModule, runProcess } from '@ledgerline/runtime';
import { WorkerModule } from './worker.module';

/** The worker alone: projections and process managers, no HTTP. */
void runProcess('worker', async (config, databases, log, logger) => {
  @Module({ imports: [CoreModule.forRoot({ config, ...databases, logger }), WorkerModule] })
  class WorkerAppModule {}

  const app = await NestFactory.createApplicationContext(WorkerAppModule, {
    logger: nestLogger(logger),
    // A failing start-up is reported by runProcess ("failed to start", with the error), not aborted.
    abortOnError: false,
  });
  await app.init();
  log(`worker started (event store: ${databases.eventStore.adapter})`);
  return app;
});
