import { DataSource, type MixedList } from 'typeorm';

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
    migrationsTableName: 'ledgerline_migrations',
    migrationsTransactionMode: 'each',
    migrations,
    entities: [],
    // Not 'error': TypeORM would log failed queries with their parameters, which carry customer data.
    logging: ['migration'],
    // Nine projector runners each hold a connection per batch, beside the api's queries.
    extra: { max: 20, application_name: 'ledgerline' },
  });
}

/** Creates the database named in `url` if it does not exist (connecting through `postgres`). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) return;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const { Client } = await import('pg');
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** Applies pending migrations, each in its own transaction; returns the names of those applied. */
export async function runMigrations(url: string, migrations: MigrationSet['migrations']): Promise<string[]> {
  const dataSource = createDataSource(url, migrations);
  await dataSource.initialize();
  try {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
