import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { allProjectors } from '../all-projectors';
import { customersTable } from '../customers/customers.table';
import { SUPPORT_READ_MODEL_MIGRATIONS } from '../support-migrations';
import { type SnapshotTable, writtenColumnsOf } from './snapshot-table';
import { StripeSnapshotProjector } from './stripe-snapshot-projector';

/** A column's type as information_schema.columns names it: `data_type`, or `udt_name` for arrays (`_text`). */
const INFORMATION_SCHEMA_TYPE = `CASE WHEN data_type IN ('ARRAY', 'USER-DEFINED') THEN udt_name ELSE data_type END`;

/**
 * Declared types read by PostgreSQL itself, as json_to_recordset reads them in the upsert, then named
 * the way information_schema names them: `timestamptz` and `timestamp with time zone` are one type,
 * and no alias table in this test can drift from the server's. Unknown names come back null.
 */
async function informationSchemaTypes(client: Client, declared: string[]): Promise<Map<string, string | null>> {
  const { rows } = await client.query<{ declared: string; type: string | null }>(
    `SELECT declared,
            CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN t.typname
                 WHEN t.typnamespace = 'pg_catalog'::regnamespace THEN format_type(t.oid, NULL)
                 ELSE t.typname END AS type
       FROM unnest($1::text[]) AS declared LEFT JOIN pg_type t ON t.oid = to_regtype(declared)`,
    [declared],
  );
  return new Map(rows.map((row) => [row.declared, row.type]));
}

/**
 * How `physical` (the table, or a copy of it) differs from what the upsert of `table` writes into it,
 * one sentence per column. Derived columns are SQL over the row, so their type is the expression's.
 */
async function schemaDifferences(client: Client, table: SnapshotTable, physical = table.table): Promise<string[]> {
  const { rows: inDatabase } = await client.query<{ name: string; type: string }>(
    `SELECT column_name AS name, ${INFORMATION_SCHEMA_TYPE} AS type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [physical],
  );
  if (!inDatabase.length) return [`${physical}: not in the database`];

  const declared = writtenColumnsOf(table).map(({ name, type }) => ({ name, type }));
  for (const [name, sql] of Object.entries(table.derived ?? {})) {
    const { rows } = await client.query<{ type: string }>(
      `SELECT pg_typeof(${sql((column) => `t.${column}`)})::text AS type FROM (SELECT 1) AS one LEFT JOIN ${physical} AS t ON false`,
    );
    declared.push({ name, type: rows[0]!.type });
  }

  const differences: string[] = [];
  const types = await informationSchemaTypes(client, [...new Set(declared.map((column) => column.type))]);
  const databaseTypes = new Map(inDatabase.map((column) => [column.name, column.type]));
  const seen = new Set<string>();
  for (const { name, type } of declared) {
    if (seen.has(name)) differences.push(`${physical}.${name}: declared twice`);
    seen.add(name);
    const databaseType = databaseTypes.get(name);
    const declaredType = types.get(type);
    if (declaredType === null)
      differences.push(`${physical}.${name}: declared ${type}, a type PostgreSQL does not know`);
    else if (databaseType === undefined) differences.push(`${physical}.${name}: declared ${type}, not in the database`);
    else if (declaredType !== databaseType)
      differences.push(`${physical}.${name}: declared ${type}, database has ${databaseType}`);
  }
  for (const { name } of inDatabase) {
    if (!seen.has(name)) differences.push(`${physical}.${name}: in the database, not declared`);
  }
  return differences;
}

/** Taken from the projectors, so a table added to one is checked without this test being told. */
function projectedSnapshotTables(): SnapshotTable[] {
  return allProjectors().flatMap((projector) =>
    projector instanceof StripeSnapshotProjector ? [...projector.snapshots] : [],
  );
}

describe('snapshot tables: declarations and migrations agree (issue 29)', () => {
  let database: TestDatabase;
  let client: Client;
  const tables = projectedSnapshotTables();

  beforeAll(async () => {
    database = await createTestDatabase('snapshot_schema');
    await runMigrations(database.url, SUPPORT_READ_MODEL_MIGRATIONS);
    client = new Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it('finds the snapshot tables through the projectors', () => {
    expect(tables.map((table) => table.table)).toEqual(
      expect.arrayContaining(['customers', 'subscriptions', 'invoices', 'charges', 'prices', 'payment_methods']),
    );
  });

  it('gives every snapshot table exactly the columns its upsert writes, with their declared types', async () => {
    const differences: string[] = [];
    for (const table of tables) differences.push(...(await schemaDifferences(client, table)));
    expect(differences).toEqual([]);
  });

  it('gives the shadow copies a rebuild writes into the same columns', async () => {
    // As Rebuilder (libs/projections/src/rebuilder.ts) makes them; rolled back, nothing is left behind.
    const differences: string[] = [];
    await client.query('BEGIN');
    try {
      for (const table of tables) {
        const shadow = `${table.table}__next`;
        await client.query(`CREATE TABLE ${shadow} (LIKE ${table.table} INCLUDING ALL)`);
        differences.push(...(await schemaDifferences(client, table, shadow)));
      }
    } finally {
      await client.query('ROLLBACK');
    }
    expect(differences).toEqual([]);
  });

  it('names the table, the column and what differs', async () => {
    const changed = (edit: (table: SnapshotTable) => Partial<SnapshotTable>) =>
      schemaDifferences(client, { ...customersTable, ...edit(customersTable) });
    const retyped = (types: Record<string, string>) =>
      changed((table) => ({ columns: table.columns.map((c) => ({ ...c, type: types[c.name] ?? c.type })) }));

    expect(await retyped({ email: 'integer' })).toEqual(['customers.email: declared integer, database has text']);
    expect(await retyped({ stripe_ids: 'text', stripe_created: 'timestamp' })).toEqual([
      'customers.stripe_ids: declared text, database has _text',
      'customers.stripe_created: declared timestamp, database has timestamp with time zone',
    ]);
    expect(await retyped({ balance: 'int8', addresses: 'jsonb', stripe_created: 'timestamp with time zone' })).toEqual(
      [],
    );
    expect(await retyped({ email: 'txet' })).toEqual([
      'customers.email: declared txet, a type PostgreSQL does not know',
    ]);
    expect(await changed((table) => ({ columns: table.columns.filter((c) => c.name !== 'phone') }))).toEqual([
      'customers.phone: in the database, not declared',
    ]);
    expect(await changed((table) => ({ columns: [...table.columns, { name: 'nickname', type: 'text' }] }))).toEqual([
      'customers.nickname: declared text, not in the database',
    ]);
    expect(await changed((table) => ({ columns: [...table.columns, { name: 'account', type: 'text' }] }))).toEqual([
      'customers.account: declared twice',
    ]);
    // A group without columns has no stamps either: they are reported with it.
    expect(await changed((table) => ({ columns: table.columns.filter((c) => c.group !== 'link') }))).toEqual([
      'customers.stripe_id: in the database, not declared',
      'customers.link_created: in the database, not declared',
      'customers.link_position: in the database, not declared',
    ]);
    expect(await changed(() => ({ derived: undefined }))).toEqual([
      'customers.search_text: in the database, not declared',
    ]);
    expect(await changed(() => ({ derived: { search_text: (column) => `length(${column('name')})` } }))).toEqual([
      'customers.search_text: declared integer, database has text',
    ]);
    expect(await changed(() => ({ table: 'customer' }))).toEqual(['customer: not in the database']);
  });
});
