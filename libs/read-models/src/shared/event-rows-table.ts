import type { ProjectionTransaction } from '@ledgerline/projections';
import type { Column, SnapshotContext } from './snapshot-table';

/**
 * An insert-only table of rows derived from single events (a status observation, a feed entry),
 * keyed by the event: replays and redeliveries insert nothing new, so any order gives the same rows.
 */
export interface EventRowsTable {
  readonly table: string;
  readonly columns: readonly Column[];
  /** The primary key's columns. */
  readonly key: readonly string[];
  rowsOf(object: Record<string, unknown>, context: SnapshotContext): Record<string, unknown>[];
}

export async function insertEventRows(
  table: EventRowsTable,
  rows: Record<string, unknown>[],
  tx: ProjectionTransaction,
): Promise<void> {
  if (!rows.length) return;
  const names = table.columns.map((column) => column.name).join(', ');
  await tx.query(
    `INSERT INTO ${tx.table(table.table)} (${names})
     SELECT ${names} FROM json_to_recordset($1::json) AS x(${table.columns.map((c) => `${c.name} ${c.type}`).join(', ')})
     ON CONFLICT (${table.key.join(', ')}) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}
