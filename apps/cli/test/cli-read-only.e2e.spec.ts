import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrationNames } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS } from '@ledgerline/event-store';
import { READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import {
  buildOnce,
  createTestDatabase,
  recordedMigrations,
  runMigrations,
  type TestDatabase,
} from '@ledgerline/testing';
import { runCli } from './cli-harness';

const READ_ONLY_RUNS = [['stats'], ['store-info'], ['tail'], ['audit', 'cus_read_only']];

function notMigrated(command: string, pending: number): RegExp {
  return new RegExp(
    `^ledgerline ${command}: the database "cli_read_only_\\w+" is not migrated \\(${pending} migration\\(s\\) pending\\): start Ledgerline or run \`ledgerline migrate\` first\\n$`,
  );
}

/** Read-only commands never migrate: on a database nobody has migrated yet they refuse, and change nothing. */
describe('read-only commands and migrations', () => {
  const databases: TestDatabase[] = [];
  const fresh = async (): Promise<string> => {
    const database = await createTestDatabase('cli_read_only');
    databases.push(database);
    return database.url;
  };

  beforeAll(() => buildOnce(), 300_000);
  afterAll(() => Promise.all(databases.map((database) => database.drop())));

  it('refuse an empty database with one line and exit 75, without creating the migrations table', async () => {
    const url = await fresh();
    const pending = EVENT_STORE_MIGRATIONS.length + READ_MODEL_MIGRATIONS.length;
    for (const args of READ_ONLY_RUNS) {
      const result = await runCli(args, url);
      expect({ args, ...result }).toEqual({
        args,
        code: 75,
        stdout: '',
        stderr: expect.stringMatching(notMigrated(args[0]!, pending)),
      });
    }
    expect(await recordedMigrations(url)).toBeNull();
  }, 120_000);

  it('refuse a partly migrated database, counting what is pending', async () => {
    const url = await fresh();
    await runMigrations(url, EVENT_STORE_MIGRATIONS);
    const result = await runCli(['store-info'], url);
    expect(result.code).toBe(75);
    expect(result.stderr).toMatch(notMigrated('store-info', READ_MODEL_MIGRATIONS.length));
    expect(await recordedMigrations(url)).toEqual(migrationNames(EVENT_STORE_MIGRATIONS).sort());
  }, 60_000);

  it('work as before once `ledgerline migrate` has run', async () => {
    const url = await fresh();
    const migrate = await runCli(['migrate'], url);
    expect(migrate.code).toBe(0);
    expect(migrate.stderr).toContain(
      `applied ${EVENT_STORE_MIGRATIONS.length + READ_MODEL_MIGRATIONS.length} migration(s)`,
    );

    const stats = await runCli(['stats', '--json'], url);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ adapter: 'postgres', totalEvents: 0, headPosition: 0 });
    const storeInfo = await runCli(['store-info'], url);
    expect(storeInfo.code).toBe(0);
    expect(JSON.parse(storeInfo.stdout)).toEqual({ adapter: 'postgres', headPosition: 0, consumerGroups: [] });
  }, 120_000);
});
