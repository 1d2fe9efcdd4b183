import { Client } from 'pg';

// Tests migrate exactly as the app does at start.
export { runMigrations } from '@ledgerline/database';

/**
 * The names in a database's migrations table, sorted, a name applied twice listed twice; null when
 * the table does not exist.
 */
export async function recordedMigrations(url: string): Promise<string[] | null> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ present: boolean }>(
      `SELECT to_regclass('ledgerline_migrations') IS NOT NULL AS present`,
    );
    if (!rows[0]!.present) return null;
    const names = await client.query<{ name: string }>('SELECT name FROM ledgerline_migrations ORDER BY name');
    return names.rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}
