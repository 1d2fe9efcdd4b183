import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CoreModule, runProcess } from '@ledgerline/runtime';
import { WorkerModule } from './worker.module';

/** The worker alone: projections and process managers, no HTTP. */
void runProcess('worker', async (config, databases, log) => {
  @Module({ imports: [CoreModule.forRoot({ config, ...databases }), WorkerModule] })
  class WorkerAppModule {}

  const app = await NestFactory.createApplicationContext(WorkerAppModule, { logger: ['log', 'error', 'warn'] });
  await app.init();
  log(`worker started (event store: ${databases.eventStore.adapter})`);
  return app;
});
