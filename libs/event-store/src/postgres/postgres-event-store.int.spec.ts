import { afterAll, beforeAll } from '@jest/globals';
import { createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { EVENT_STORE_MIGRATIONS } from './event-store-schema.migration';
import { PostgresEventStore } from './postgres-event-store';
import { describeEventStoreContract } from '../testing/event-store.contract';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('event_store');
  await runMigrations(database.url, EVENT_STORE_MIGRATIONS);
});

afterAll(async () => {
  await database?.drop();
});

describeEventStoreContract('PostgreSQL', () => ({
  connect: async () => new PostgresEventStore({ connectionString: database.url, pollIntervalMs: 200 }),
}));
