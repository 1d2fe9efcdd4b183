import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '@ledgerline/config';
import { EVENT_STORE_MIGRATIONS, READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { createTestDatabase, eventually, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { WorkerModule } from '../../worker/src/worker.module';
import { type ApiAppOptions, createApiApp } from '../src/create-api-app';

export const TEST_KEYS = {
  support: 'support-key-0123456789abcdef',
  finance: 'finance-key-0123456789abcdef',
  admin: 'admin-key-0123456789abcdef00',
  consumer: 'consumer-key-0123456789abcdef',
} as const;

export interface ApiTestApp {
  app: INestApplication;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * The real api app on a fresh, migrated test database, configured through the same loadConfig;
 * with `withWorker`, the worker runs in the same process as under `npm start`.
 */
export async function startApiTestApp(
  env: Record<string, string> = {},
  withWorker = false,
  options: Pick<ApiAppOptions, 'consoleDirectory'> = {},
): Promise<ApiTestApp> {
  const database = await createTestDatabase('api');
  await runMigrations(database.url, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
  const config = loadConfig({
    DATABASE_URL: database.url,
    API_KEYS: Object.entries(TEST_KEYS)
      .map(([role, key]) => `${role}:${role}-tester:${key}`)
      .join(','),
    // In-process workers of parallel test files must not compete for one port.
    WORKER_PORT: 'off',
    ...env,
  });
  const app = await createApiApp({
    config,
    databaseUrl: database.url,
    eventStore:
      config.eventStore.adapter === 'eventstoredb' ? config.eventStore : { adapter: 'postgres', url: database.url },
    logger: false,
    alongside: withWorker ? [WorkerModule] : [],
    ...options,
  });
  let closed = false;
  return {
    app,
    database,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await database.drop();
    },
  };
}

/**
 * Waits until the in-process worker has registered its projections and every one has reached the
 * store's head as it is now, so what the read models answer includes every event appended so far.
 */
export async function projectionsCaughtUp(harness: ApiTestApp, timeoutMs = 15_000): Promise<void> {
  const head = (await harness.app.get<EventStore>(EVENT_STORE).headPosition()).toString();
  const dataSource = harness.app.get(DataSource);
  await eventually(
    async () => {
      const [{ behind, count }] = await dataSource.query(
        `SELECT count(*) FILTER (WHERE position < $1)::int AS behind, count(*)::int AS count
           FROM projections.projection_state`,
        [head],
      );
      return behind === 0 && count > 1;
    },
    timeoutMs,
    'every projection to catch up',
  );
}
