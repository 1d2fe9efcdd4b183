import { join, resolve } from 'node:path';
import { ensureDatabase, pendingMigrations, runMigrations, startEmbeddedPostgres } from '@ledgerline/database';
import type { LedgerlineConfig } from '@ledgerline/config';
import type { EventStoreTarget } from '@ledgerline/event-store';
import { EVENT_STORE_MIGRATIONS, READ_MODEL_MIGRATIONS } from './migrations';

export interface PreparedDatabases {
  databaseUrl: string;
  eventStore: EventStoreTarget;
  embedded: boolean;
  /** Stops embedded PostgreSQL, if this process started it. */
  stop(): Promise<void>;
}

type Log = (message: string) => void;

export interface PrepareOptions {
  /**
   * false: apply nothing, and fail with DatabaseNotMigratedError when a migration is pending (for
   * read-only commands, which must not change a schema behind the processes that own it).
   */
  migrate?: boolean;
}

/** A database that still has migrations to apply, met by a process that does not migrate. */
export class DatabaseNotMigratedError extends Error {
  constructor(
    readonly database: string,
    readonly pending: string[],
  ) {
    super(
      `the database "${database}" is not migrated (${pending.length} migration(s) pending): start Ledgerline or run \`ledgerline migrate\` first`,
    );
    this.name = 'DatabaseNotMigratedError';
  }
}

/**
 * Makes the databases ready before the app starts: embedded PostgreSQL when DATABASE_URL is unset
 * (data kept under `<dataDir>/postgres`), then every pending migration (or, with `migrate: false`,
 * a check that none is pending). Never `synchronize`.
 */
export async function prepareDatabases(
  config: LedgerlineConfig,
  log: Log,
  options: PrepareOptions = {},
): Promise<PreparedDatabases> {
  let databaseUrl = config.databaseUrl;
  let stop = async (): Promise<void> => undefined;
  if (databaseUrl === null) {
    const dataDir = resolve(config.dataDir, 'postgres');
    const started = Date.now();
    const server = await startEmbeddedPostgres({ dataDir, persistent: true, log });
    databaseUrl = server.urlFor('ledgerline');
    await ensureDatabase(databaseUrl);
    if (!server.shared) {
      stop = async () => {
        log('stopping embedded PostgreSQL');
        await server.stop();
      };
      log(`embedded PostgreSQL ready in ${Date.now() - started} ms (data in ${join(config.dataDir, 'postgres')})`);
    }
  }

  try {
    const eventStore: EventStoreTarget =
      config.eventStore.adapter === 'eventstoredb'
        ? { adapter: 'eventstoredb', url: config.eventStore.url }
        : { adapter: 'postgres', url: config.eventStore.url ?? databaseUrl };
    const sameDatabase = eventStore.adapter === 'postgres' && eventStore.url === databaseUrl;
    const prepare = options.migrate === false ? requireMigrated : migrate;
    await prepare(databaseUrl, [...(sameDatabase ? EVENT_STORE_MIGRATIONS : []), ...READ_MODEL_MIGRATIONS], log);
    if (eventStore.adapter === 'postgres' && !sameDatabase) await prepare(eventStore.url, EVENT_STORE_MIGRATIONS, log);
    return { databaseUrl, eventStore, embedded: config.databaseUrl === null, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
async function migrate(url: string, migrations: Function[], log: Log): Promise<void> {
  if (migrations.length === 0) return;
  const applied = await runMigrations(url, migrations, { log });
  if (applied.length) log(`applied ${applied.length} migration(s): ${applied.join(', ')}`);
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
async function requireMigrated(url: string, migrations: Function[]): Promise<void> {
  const pending = await pendingMigrations(url, migrations);
  if (pending.length) throw new DatabaseNotMigratedError(decodeURIComponent(new URL(url).pathname.slice(1)), pending);
}
