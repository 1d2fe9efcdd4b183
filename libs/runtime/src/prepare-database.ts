import { join, resolve } from 'node:path';
import { ensureDatabase, runMigrations, startEmbeddedPostgres } from '@ledgerline/database';
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

/**
 * Makes the databases ready before the app starts: embedded PostgreSQL when DATABASE_URL is unset
 * (data kept under `<dataDir>/postgres`), then every pending migration. Never `synchronize`.
 */
export async function prepareDatabases(config: LedgerlineConfig, log: Log): Promise<PreparedDatabases> {
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
    await migrate(databaseUrl, [...(sameDatabase ? EVENT_STORE_MIGRATIONS : []), ...READ_MODEL_MIGRATIONS], log);
    if (eventStore.adapter === 'postgres' && !sameDatabase) await migrate(eventStore.url, EVENT_STORE_MIGRATIONS, log);
    return { databaseUrl, eventStore, embedded: config.databaseUrl === null, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
async function migrate(url: string, migrations: Function[], log: Log): Promise<void> {
  if (migrations.length === 0) return;
  const applied = await runMigrations(url, migrations);
  if (applied.length) log(`applied ${applied.length} migration(s): ${applied.join(', ')}`);
}
