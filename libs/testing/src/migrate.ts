import { createDataSource, type MigrationSet } from '@ledgerline/database';

/** Runs the given migrations against a database, exactly as the app does at start. */
export async function runMigrations(url: string, migrations: MigrationSet['migrations']): Promise<void> {
  const dataSource = createDataSource(url, migrations);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
