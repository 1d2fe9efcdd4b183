import type { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@ledgerline/event-store';
import { createTestDatabase, runMigrations, startStripeServer, type StripeTestServer } from '@ledgerline/testing';
import type { BackfillRun, BackfillTypeProgress } from '../runs/backfill-run';
import { type BackfillAsk, backfillRequestOf, runFor } from '../runs/backfill-request';
import { BackfillRuns } from '../runs/backfill-runs';
import { BackfillRuns1764000001700 } from '../runs/backfill-runs.migration';
import { executeBackfill } from '../runs/execute-backfill';

/** Fast enough for tests, small pages so that a few hundred objects make many pages. */
export const BACKFILL_TEST_CONFIG = { requestsPerSecond: 100, maxAttempts: 3, pageSize: 25 };

export interface BackfillTestbed {
  dataSource: DataSource;
  store: PostgresEventStore;
  server: StripeTestServer;
  runs: BackfillRuns;
  /** Runs (or resumes, as the CLI would) the backfill of `ask` to its end. */
  run(
    ask?: BackfillAsk,
    options?: { onProgress?: (listing: BackfillTypeProgress) => void; signal?: AbortSignal },
  ): Promise<BackfillRun & { resumed: boolean }>;
  close(): Promise<void>;
}

/** A migrated test database with the store and the runs table, and a local Stripe server. */
export async function startBackfillTestbed(name: string): Promise<BackfillTestbed> {
  const database = await createTestDatabase(name);
  await runMigrations(database.url, [...EVENT_STORE_MIGRATIONS, BackfillRuns1764000001700]);
  const dataSource = await createDataSource(database.url, []).initialize();
  const store = new PostgresEventStore({ connectionString: database.url });
  const runs = new BackfillRuns(dataSource);
  const server = await startStripeServer();
  return {
    dataSource,
    store,
    server,
    runs,
    run: async (ask = {}, options = {}) => {
      const { id, resumed } = await runFor(runs, backfillRequestOf(ask), 'tester');
      const config = BACKFILL_TEST_CONFIG;
      const result = await executeBackfill({ store, stripe: server.stripe(), runs, config }, id, {
        backoffBaseMs: 5,
        ...options,
      });
      return { ...result, resumed };
    },
    close: async () => {
      await server.close();
      await store.close();
      await dataSource.destroy();
      await database.drop();
    },
  };
}
