import type { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import { READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import type { CliContext } from './command';

/** Runs `work` with a connection to the read-model database, closed afterwards whatever happens. */
export async function withReadModelDatabase<T>(
  context: CliContext,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const dataSource = await createDataSource(context.databases.databaseUrl, READ_MODEL_MIGRATIONS).initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
