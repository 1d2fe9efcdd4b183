import { Client } from 'pg';
import { DataSource, type MigrationInterface, type MixedList } from 'typeorm';
import { withMigrationLock } from './migration-lock';

const MIGRATIONS_TABLE = 'ledgerline_migrations';

export interface MigrationSet {
  // TypeORM takes migration classes; each lib exports its own list.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
}

/**
 * The read-model database. Schema changes are migrations run at start; `synchronize` stays off so
 * that a production schema only ever changes through a reviewed migration.
 */
export function createDataSource(url: string, migrations: MigrationSet['migrations']): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    migrations,
    entities: [],
    // Not 'error': TypeORM would log failed queries with their parameters, which carry customer data.
    logging: ['migration'],
    // Nine projector runners each hold a connection per batch, beside the api's queries.
    extra: { max: 20, application_name: 'ledgerline' },
  });
}

/**
 * Creates the database named in `url` if it does not exist (connecting through `postgres`). Another
 * process starting at the same moment may create it between the check and the CREATE: that counts
 * as success.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) return;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: unknown) => {
        if (!createdConcurrently(error)) throw error;
      });
    }
  } finally {
    await client.end();
  }
}

/** duplicate_database, or the unique index of pg_database when both CREATEs got past the check. */
function createdConcurrently(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '42P04' || code === '23505';
}

/**
 * Applies pending migrations, each in its own transaction; returns the names of those applied. Runs
 * under the database's migration lock (migration-lock.ts), so processes starting together on an
 * empty database migrate one after the other instead of racing on the same DDL.
 */
export async function runMigrations(
  url: string,
  migrations: MigrationSet['migrations'],
  options: { log?: (message: string) => void } = {},
): Promise<string[]> {
  return withMigrationLock(url, options.log ?? (() => undefined), async () => {
    const dataSource = createDataSource(url, migrations);
    await dataSource.initialize();
    try {
      return (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
    } finally {
      await dataSource.destroy();
    }
  });
}

/**
 * The names of `migrations` not yet applied to the database, read without writing anything (TypeORM's
 * showMigrations would create the migrations table).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export async function pendingMigrations(url: string, migrations: Function[]): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
      MIGRATIONS_TABLE,
    ]);
    const applied = rows[0]!.present
      ? (await client.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`)).rows.map((row) => row.name)
      : [];
    return migrationNames(migrations).filter((name) => !applied.includes(name));
  } finally {
    await client.end();
  }
}

/** Each migration's name as TypeORM records it: its `name` property, else its class name. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function migrationNames(migrations: Function[]): string[] {
  return migrations.map((migration) => new (migration as new () => MigrationInterface)().name ?? migration.name);
}
