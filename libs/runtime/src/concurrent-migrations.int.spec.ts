import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import type { MigrationInterface } from 'typeorm';
import { ensureDatabase, MIGRATION_LOCK_KEY, migrationNames } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS } from '@ledgerline/event-store';
import {
  createTestDatabase,
  eventually,
  recordedMigrations,
  runMigrations,
  type TestDatabase,
} from '@ledgerline/testing';
import { READ_MODEL_MIGRATIONS } from './migrations';

const ALL_MIGRATIONS = [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS];
const ALL_NAMES = migrationNames(ALL_MIGRATIONS).sort();

class Failing1790000000000 implements MigrationInterface {
  name = 'Failing1790000000000';
  async up(): Promise<void> {
    throw new Error('this migration always fails');
  }
  async down(): Promise<void> {}
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

describe('processes migrating one database at the same time', () => {
  const databases: TestDatabase[] = [];
  const fresh = async (): Promise<TestDatabase> => {
    const database = await createTestDatabase('concurrent_migrations');
    databases.push(database);
    return database;
  };
  afterAll(() => Promise.all(databases.map((database) => database.drop())));

  it('six concurrent runs on an empty database all succeed, and each migration is applied once', async () => {
    const { url } = await fresh();
    const runs = await Promise.allSettled(Array.from({ length: 6 }, () => runMigrations(url, ALL_MIGRATIONS)));

    expect(runs.filter((run) => run.status === 'rejected')).toEqual([]);
    const appliedByRuns = runs.flatMap((run) => (run.status === 'fulfilled' ? run.value : []));
    expect(appliedByRuns.sort()).toEqual(ALL_NAMES);
    expect(await recordedMigrations(url)).toEqual(ALL_NAMES);
  }, 120_000);

  it('a run that finds the lock taken touches nothing until it is released, and says it waited', async () => {
    const { url } = await fresh();
    const holder = await connect(url);
    try {
      await holder.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK_KEY]);
      const log: string[] = [];
      let settled = false;
      const run = runMigrations(url, ALL_MIGRATIONS, { log: (message) => log.push(message) }).finally(() => {
        settled = true;
      });
      await eventually(async () => log.some((line) => line.includes('waiting for it')), 10_000, 'the waiting line');
      expect(settled).toBe(false);
      expect(await recordedMigrations(url)).toBeNull();

      await holder.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK_KEY]);
      expect((await run).sort()).toEqual(ALL_NAMES);
      expect(log).toEqual([
        expect.stringMatching(/^another process is migrating database "concurrent_migrations_\w+": waiting for it$/),
        expect.stringMatching(
          /^waited \d+ ms for another process's migrations of database "concurrent_migrations_\w+"$/,
        ),
      ]);
    } finally {
      await holder.end();
    }
  }, 120_000);

  it('a failing run releases the lock for the next process', async () => {
    const { url } = await fresh();
    await expect(runMigrations(url, [Failing1790000000000])).rejects.toThrow('this migration always fails');
    const next = await connect(url);
    try {
      const { rows } = await next.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [...MIGRATION_LOCK_KEY]);
      expect(rows[0].locked).toBe(true);
    } finally {
      await next.end();
    }
  }, 60_000);
});

describe('processes creating one database at the same time', () => {
  const adminUrl = process.env.LEDGERLINE_TEST_ADMIN_URL!;
  const name = `concurrent_create_${randomBytes(5).toString('hex')}`;
  afterAll(async () => {
    const admin = await connect(adminUrl);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => admin.end());
  });

  it('six concurrent ensureDatabase calls for a new name all succeed and create it', async () => {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const calls = await Promise.allSettled(Array.from({ length: 6 }, () => ensureDatabase(url.toString())));

    expect(calls.filter((call) => call.status === 'rejected')).toEqual([]);
    const admin = await connect(adminUrl);
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      expect(rowCount).toBe(1);
    } finally {
      await admin.end();
    }
  }, 60_000);
});
