import { Client } from 'pg';

/**
 * The advisory lock that serialises migrations within one database, in the two-int form. Two-int
 * keys never meet the one-bigint keys of the event store's stream locks; 19532 is the store's
 * position lock and 19533 replay runs, so 19530 belongs to migrations alone. Advisory locks are
 * per database, so a separate event-store database has a lock of its own under the same key.
 */
export const MIGRATION_LOCK_KEY = [19530, 1] as const;

/**
 * Runs `work` holding the migration lock, taken at session level on a connection of its own so that
 * it spans TypeORM's per-migration transactions; released (and the connection closed) whatever
 * `work` does. A process that has to wait says so: it then finds nothing left to migrate.
 */
export async function withMigrationLock<T>(
  url: string,
  log: (message: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new Client({ connectionString: url, application_name: 'ledgerline migrations' });
  // A lost connection also fails the query in hand, which is what reports it; unhandled, the
  // 'error' event would kill the process instead.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
      ...MIGRATION_LOCK_KEY,
    ]);
    if (!rows[0]!.locked) {
      const started = Date.now();
      log(`another process is migrating database "${database}": waiting for it`);
      await client.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK_KEY]);
      log(`waited ${Date.now() - started} ms for another process's migrations of database "${database}"`);
    }
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
