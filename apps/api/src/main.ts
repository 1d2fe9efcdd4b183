import 'reflect-metadata';
import { runProcess } from '@ledgerline/runtime';
import { WorkerModule } from '../../worker/src/worker.module';
import { createApiApp } from './create-api-app';

/**
 * `npm start`: the api and, unless LEDGERLINE_PROCESSES=api, the worker in the same process.
 * In production they run apart (apps/worker/src/main.ts for the worker alone).
 */
void runProcess('api', async (config, databases, log, logger) => {
  const processes = (process.env.LEDGERLINE_PROCESSES ?? 'api,worker').split(',').map((p) => p.trim());
  const withWorker = processes.includes('worker');
  const app = await createApiApp({
    config,
    databaseUrl: databases.databaseUrl,
    eventStore: databases.eventStore,
    alongside: withWorker ? [WorkerModule] : [],
    logger,
  });
  await app.listen(config.port);
  log(
    `listening on http://localhost:${config.port} (event store: ${databases.eventStore.adapter}${withWorker ? ', worker in process' : ''})`,
  );
  return app;
});
