import type { RecordedEvent } from '@ledgerline/event-store';
import type { ProjectionTransaction } from '@ledgerline/projections';
import type { StripeEventData } from './stripe-refs';

/** A read-model column filled from a Stripe object. `union` accumulates arrays instead of replacing them. */
export interface Column {
  name: string;
  /** SQL type, as json_to_recordset reads it: text, bigint, integer, boolean, jsonb, timestamptz, text[]. */
  type: string;
  merge?: 'newest' | 'union';
}

export interface SnapshotContext {
  event: RecordedEvent;
  payload: StripeEventData;
  account: string | null;
}

/**
 * One read-model table of Stripe objects of some types, keyed by object id (or a derived key).
 * Every table also has the bookkeeping columns of BOOKKEEPING (id, account, deleted, event and snapshot order).
 */
export interface SnapshotTable {
  readonly table: string;
  readonly objectTypes: readonly string[];
  readonly columns: readonly Column[];
  /** Row values by column name; absent columns are null. */
  toRow(object: Record<string, unknown>, context: SnapshotContext): Record<string, unknown>;
  /** The row key; the object's id by default. */
  keyOf?(object: Record<string, unknown>, context: SnapshotContext): string;
  /** Whether `<type>.deleted` events mark the object deleted (not for subscriptions: that means cancelled). */
  readonly deletedBySuffix?: boolean;
  /**
   * Objects of this table found inside an event's object of another type (a charge's refunds):
   * they take that event's time and position.
   */
  nestedIn?(object: Record<string, unknown>): Record<string, unknown>[];
}

const BOOKKEEPING: Column[] = [
  { name: 'id', type: 'text' },
  { name: 'account', type: 'text' },
  { name: 'deleted', type: 'boolean' },
  { name: 'last_event_id', type: 'text' },
  { name: 'last_event_created', type: 'bigint' },
  { name: 'last_event_position', type: 'bigint' },
  { name: 'snapshot_created', type: 'bigint' },
  { name: 'snapshot_position', type: 'bigint' },
];

/** What one batch holds for one row: the newest snapshot, the newest event, and deletion seen. */
export interface FoldedRow {
  id: string;
  account: string | null;
  deleted: boolean;
  lastEventId: string;
  lastEventCreated: number;
  lastEventPosition: bigint;
  snapshot: { created: number; position: bigint; values: Record<string, unknown> } | null;
}

/**
 * A Stripe object's state in a read model, order-independent: columns come from the newest full
 * snapshot (`created`, then position for same-second ties), `deleted` sticks once seen, and a
 * deletion stub (`{ id, object, deleted }`) changes nothing else. Any arrival order of the same
 * events therefore ends with the same row.
 */
export function foldSnapshot(
  table: SnapshotTable,
  held: FoldedRow | undefined,
  key: string,
  object: Record<string, unknown>,
  context: SnapshotContext,
): FoldedRow {
  const { event, payload } = context;
  const created = typeof payload.created === 'number' ? payload.created : 0;
  const type = payload.type ?? event.type;
  const deleted =
    object.deleted === true ||
    ((table.deletedBySuffix ?? true) && type.endsWith('.deleted') && type.split('.').length === 2);
  const snapshot = isStub(object) ? null : { created, position: event.position, values: table.toRow(object, context) };
  const eventId = payload.id ?? event.id;
  const next: FoldedRow = {
    id: key,
    account: context.account,
    deleted,
    lastEventId: eventId,
    lastEventCreated: created,
    lastEventPosition: event.position,
    snapshot,
  };
  if (!held) return next;
  const eventNewer = isNewer(created, event.position, held.lastEventCreated, held.lastEventPosition);
  const snapshotNewer =
    snapshot !== null &&
    (held.snapshot === null ||
      isNewer(snapshot.created, snapshot.position, held.snapshot.created, held.snapshot.position));
  let merged = snapshotNewer ? snapshot : held.snapshot;
  if (merged && held.snapshot && snapshot)
    merged = unionColumns(table, merged, snapshotNewer ? held.snapshot : snapshot);
  return {
    id: held.id,
    account: held.account ?? next.account,
    deleted: held.deleted || deleted,
    lastEventId: eventNewer ? eventId : held.lastEventId,
    lastEventCreated: eventNewer ? created : held.lastEventCreated,
    lastEventPosition: eventNewer ? event.position : held.lastEventPosition,
    snapshot: merged,
  };
}

/** Writes folded rows with the same rules as foldSnapshot, against what the table already holds. */
export async function upsertSnapshots(
  table: SnapshotTable,
  rows: FoldedRow[],
  tx: ProjectionTransaction,
): Promise<void> {
  if (!rows.length) return;
  const physical = tx.table(table.table);
  const all = [...BOOKKEEPING, ...table.columns];
  const names = all.map((column) => column.name);
  const snapshotNewer = `EXCLUDED.snapshot_created IS NOT NULL AND (t.snapshot_created IS NULL OR
      (EXCLUDED.snapshot_created, EXCLUDED.snapshot_position) > (t.snapshot_created, t.snapshot_position))`;
  const eventNewer = `(EXCLUDED.last_event_created, EXCLUDED.last_event_position) > (t.last_event_created, t.last_event_position)`;
  const fromSnapshot = [
    'snapshot_created',
    'snapshot_position',
    ...table.columns.filter((c) => c.merge !== 'union').map((c) => c.name),
  ];
  const assignments = [
    `deleted = t.deleted OR EXCLUDED.deleted`,
    `account = COALESCE(t.account, EXCLUDED.account)`,
    ...['last_event_id', 'last_event_created', 'last_event_position'].map(
      (name) => `${name} = CASE WHEN ${eventNewer} THEN EXCLUDED.${name} ELSE t.${name} END`,
    ),
    ...fromSnapshot.map((name) => `${name} = CASE WHEN ${snapshotNewer} THEN EXCLUDED.${name} ELSE t.${name} END`),
    ...table.columns
      .filter((c) => c.merge === 'union')
      .map(
        (c) =>
          `${c.name} = ARRAY(SELECT DISTINCT v FROM unnest(COALESCE(t.${c.name}, '{}') || COALESCE(EXCLUDED.${c.name}, '{}')) AS v ORDER BY v)`,
      ),
  ];
  await tx.query(
    `INSERT INTO ${physical} AS t (${names.join(', ')})
     SELECT ${names.join(', ')} FROM json_to_recordset($1::json) AS x(${all.map((c) => `${c.name} ${c.type}`).join(', ')})
     ON CONFLICT (id) DO UPDATE SET ${assignments.join(',\n       ')}`,
    [JSON.stringify(rows.map(toRecord))],
  );
}

function toRecord(row: FoldedRow): Record<string, unknown> {
  return {
    ...(row.snapshot?.values ?? {}),
    id: row.id,
    account: row.account,
    deleted: row.deleted,
    last_event_id: row.lastEventId,
    last_event_created: row.lastEventCreated,
    last_event_position: row.lastEventPosition.toString(),
    snapshot_created: row.snapshot?.created ?? null,
    snapshot_position: row.snapshot?.position.toString() ?? null,
  };
}

function unionColumns(
  table: SnapshotTable,
  newest: NonNullable<FoldedRow['snapshot']>,
  other: NonNullable<FoldedRow['snapshot']>,
): NonNullable<FoldedRow['snapshot']> {
  const unions = table.columns.filter((c) => c.merge === 'union');
  if (!unions.length) return newest;
  const values = { ...newest.values };
  for (const { name } of unions) {
    const merged = new Set([...asArray(newest.values[name]), ...asArray(other.values[name])]);
    values[name] = [...merged].sort();
  }
  return { ...newest, values };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isNewer(created: number, position: bigint, heldCreated: number, heldPosition: bigint): boolean {
  return created > heldCreated || (created === heldCreated && position > heldPosition);
}

const STUB_KEYS = new Set(['id', 'object', 'deleted']);

function isStub(object: Record<string, unknown>): boolean {
  return Object.keys(object).every((key) => STUB_KEYS.has(key));
}
