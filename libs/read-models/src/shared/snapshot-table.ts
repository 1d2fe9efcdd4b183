import type { RecordedEvent } from '@ledgerline/event-store';
import type { ProjectionTransaction } from '@ledgerline/projections';
import type { StripeEventData } from './stripe-refs';

/** A read-model column filled from a Stripe object, and for some, from platform events. */
export interface Column {
  name: string;
  /** SQL type, as json_to_recordset reads it: text, bigint, integer, boolean, jsonb, timestamptz, text[]. */
  type: string;
  /**
   * `newest` (default): from the newest writer (the full snapshot, or the column's group).
   * `union`: arrays accumulate. `fixed`: a value that never changes once known; null never
   * replaces it (should writers ever disagree the least is kept, so arrival order still does not matter).
   */
  merge?: 'newest' | 'union' | 'fixed';
  /**
   * The columns of a group take the values of the group's newest writer, ordered like snapshots by
   * its own stamp columns `<group>_created`, `<group>_position`: a full Stripe snapshot, or a
   * platform event that gives the group (an edit the platform made before Stripe echoed it).
   */
  group?: string;
}

export interface SnapshotContext {
  event: RecordedEvent;
  payload: StripeEventData;
  account: string | null;
}

/** What one platform event says about one row. It never writes the ungrouped Stripe columns. */
export interface PartialSnapshot {
  key: string;
  /** Whole groups: every column of each group given here is written (absent ones as null). */
  groups?: Record<string, Record<string, unknown>>;
  /** Values of `union` and `fixed` columns, merged by their rule. */
  merged?: Record<string, unknown>;
  /**
   * Values of ungrouped columns shown only while no Stripe snapshot is held (a subscription the
   * platform started, not yet in Stripe). Needs `provisional` on the table.
   */
  provisional?: Record<string, unknown>;
  deleted?: boolean;
}

/**
 * One read-model table of Stripe objects of some types, keyed by object id (or a derived key).
 * Every table also has the bookkeeping columns of BOOKKEEPING (id, account, deleted, event and snapshot order),
 * and the stamp columns of its groups (and of provisional values).
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
  /** Platform events (`source: platform`) by exact type, read as partial snapshots of rows. */
  readonly platformEvents?: Readonly<Record<string, (event: RecordedEvent) => PartialSnapshot[]>>;
  /** Groups only platform events write: full Stripe snapshots leave them as they are. */
  readonly platformGroups?: readonly string[];
  /** Whether partial snapshots carry provisional values (stamp columns `provisional_created/_position`). */
  readonly provisional?: boolean;
  /**
   * Columns computed in SQL from the row's final values in the same upsert, since with groups no
   * single writer knows them all (the customer's search text): an expression over the row's
   * columns, each read through `column(name)`.
   */
  readonly derived?: Readonly<Record<string, (column: (name: string) => string) => string>>;
}

const BOOKKEEPING: Column[] = [
  { name: 'id', type: 'text' },
  { name: 'account', type: 'text' },
  { name: 'deleted', type: 'boolean' },
  { name: 'last_event_id', type: 'text' },
  { name: 'last_event_created', type: 'bigint' },
  { name: 'last_event_position', type: 'bigint' },
];

interface Stamp {
  created: number;
  position: bigint;
}
type Stamped = Stamp & { values: Record<string, unknown> };

/** What one batch holds for one row: the newest writer of each part, deletion, the newest event. */
export interface FoldedRow {
  id: string;
  account: string | null;
  deleted: boolean;
  lastEvent: Stamp & { id: string };
  /** Ungrouped columns of the newest full snapshot. */
  snapshot: Stamped | null;
  provisional: Stamped | null;
  groups: Record<string, Stamped>;
  merged: Record<string, unknown>;
}

/** The prefixes of a table's stamp columns (`<prefix>_created`, `<prefix>_position`). */
export function stampsOf(table: SnapshotTable): string[] {
  return ['snapshot', ...(table.provisional ? ['provisional'] : []), ...groupsOf(table)];
}

/** Every column the upsert writes, with the SQL type it reads it as; derived columns excepted (they are SQL). */
export function writtenColumnsOf(table: SnapshotTable): readonly Column[] {
  const stampColumns = stampsOf(table).flatMap((s) => [`${s}_created`, `${s}_position`]);
  return [...BOOKKEEPING, ...stampColumns.map((name) => ({ name, type: 'bigint' })), ...table.columns];
}

function groupsOf(table: SnapshotTable): string[] {
  return layoutOf(table).groups;
}

const isMerged = (c: Column) => c.merge === 'union' || c.merge === 'fixed';
const isUngrouped = (c: Column) => !c.group && !isMerged(c);

/** A table's columns sorted by who writes them; folds run per event, so this is worked out once. */
interface Layout {
  groups: string[];
  ungrouped: Column[];
  merged: Column[];
  byGroup: Map<string, Column[]>;
}
const layouts = new WeakMap<SnapshotTable, Layout>();

function layoutOf(table: SnapshotTable): Layout {
  let layout = layouts.get(table);
  if (!layout) {
    const groups = [...new Set(table.columns.flatMap((c) => (c.group ? [c.group] : [])))];
    layout = {
      groups,
      ungrouped: table.columns.filter(isUngrouped),
      merged: table.columns.filter(isMerged),
      byGroup: new Map(groups.map((group) => [group, table.columns.filter((c) => c.group === group)])),
    };
    layouts.set(table, layout);
  }
  return layout;
}

/** The values of these columns (absent ones as null), so a writer never touches another's columns. */
function pick(columns: readonly Column[], values: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const column of columns) picked[column.name] = values[column.name] ?? null;
  return picked;
}

/**
 * A Stripe object's state in a read model, order-independent: ungrouped columns come from the
 * newest full snapshot (`created`, then position for same-second ties), each group from its
 * newest writer, `deleted` sticks once seen, and a deletion stub (`{ id, object, deleted }`)
 * changes nothing else. Any arrival order of the same events therefore ends with the same row.
 */
export function foldSnapshot(
  table: SnapshotTable,
  held: FoldedRow | undefined,
  key: string,
  object: Record<string, unknown>,
  context: SnapshotContext,
): FoldedRow {
  const { event, payload } = context;
  const stamp = { created: typeof payload.created === 'number' ? payload.created : 0, position: event.position };
  const type = payload.type ?? event.type;
  const row: FoldedRow = {
    id: key,
    account: context.account,
    deleted:
      object.deleted === true ||
      ((table.deletedBySuffix ?? true) && type.endsWith('.deleted') && type.split('.').length === 2),
    lastEvent: { ...stamp, id: payload.id ?? event.id },
    snapshot: null,
    provisional: null,
    groups: {},
    merged: {},
  };
  if (!isStub(object)) {
    const layout = layoutOf(table);
    const values = table.toRow(object, context);
    row.snapshot = { ...stamp, values: pick(layout.ungrouped, values) };
    row.merged = pick(layout.merged, values);
    for (const [group, columns] of layout.byGroup) {
      if (table.platformGroups?.includes(group)) continue;
      row.groups[group] = { ...stamp, values: pick(columns, values) };
    }
  }
  return held ? mergeRows(table, held, row) : row;
}

/** Platform event time: whole seconds like Stripe's `created`, so a same-second echo (recorded later) wins. */
export function platformTime(event: RecordedEvent): number {
  const time = Date.parse(event.metadata.occurredAt ?? event.metadata.recordedAt);
  return Number.isNaN(time) ? 0 : Math.floor(time / 1000);
}

/** A platform event's partial snapshot folded like foldSnapshot, with the platform event's time. */
export function foldPartial(
  table: SnapshotTable,
  held: FoldedRow | undefined,
  partial: PartialSnapshot,
  event: RecordedEvent,
): FoldedRow {
  const stamp = { created: platformTime(event), position: event.position };
  const groups: Record<string, Stamped> = {};
  for (const [group, values] of Object.entries(partial.groups ?? {})) {
    groups[group] = { ...stamp, values: pick(layoutOf(table).byGroup.get(group) ?? [], values) };
  }
  const row: FoldedRow = {
    id: partial.key,
    account: null,
    deleted: partial.deleted === true,
    lastEvent: { ...stamp, id: event.id },
    snapshot: null,
    provisional:
      table.provisional && partial.provisional
        ? { ...stamp, values: pick(layoutOf(table).ungrouped, partial.provisional) }
        : null,
    groups,
    merged: pick(
      table.columns.filter((c) => isMerged(c) && partial.merged && c.name in partial.merged),
      partial.merged ?? {},
    ),
  };
  return held ? mergeRows(table, held, row) : row;
}

/** Two folds of one row merged as the upsert merges them (the fold is order-independent). */
export function mergeRows(table: SnapshotTable, held: FoldedRow, next: FoldedRow): FoldedRow {
  const groups = { ...held.groups };
  for (const [group, written] of Object.entries(next.groups)) groups[group] = newest(groups[group], written)!;
  const merged = { ...held.merged };
  for (const column of table.columns) {
    const [a, b] = [held.merged[column.name] ?? null, next.merged[column.name] ?? null];
    if (column.merge === 'union' && (a !== null || b !== null))
      merged[column.name] = [...new Set([...asArray(a), ...asArray(b)])].sort();
    if (column.merge === 'fixed') merged[column.name] = a === null ? b : b === null || String(a) <= String(b) ? a : b;
  }
  return {
    id: held.id,
    account: held.account ?? next.account,
    deleted: held.deleted || next.deleted,
    lastEvent: newest(held.lastEvent, next.lastEvent)!,
    snapshot: newest(held.snapshot, next.snapshot),
    provisional: newest(held.provisional, next.provisional),
    groups,
    merged,
  };
}

/** Writes folded rows with the same rules as foldSnapshot, against what the table already holds. */
export async function upsertSnapshots(
  table: SnapshotTable,
  rows: FoldedRow[],
  tx: ProjectionTransaction,
): Promise<void> {
  if (!rows.length) return;
  await tx.query(upsertSqlOf(table, tx.table(table.table)), [JSON.stringify(rows.map((row) => toRecord(table, row)))]);
}

/** The upsert of a table, by physical table (live or a rebuild's shadow): built once, it runs per batch. */
const upsertSql = new WeakMap<SnapshotTable, Map<string, string>>();

function upsertSqlOf(table: SnapshotTable, physical: string): string {
  let byPhysical = upsertSql.get(table);
  if (!byPhysical) upsertSql.set(table, (byPhysical = new Map()));
  let sql = byPhysical.get(physical);
  if (!sql) byPhysical.set(physical, (sql = buildUpsertSql(table, physical)));
  return sql;
}

function buildUpsertSql(table: SnapshotTable, physical: string): string {
  const stamps = stampsOf(table);
  const all = writtenColumnsOf(table);
  const names = all.map((column) => column.name);
  // `>=`: stamps are unique per event, so equal means the same event applied again (a replay after a
  // mapping fix), which must rewrite what it wrote; any other order still keeps the newest.
  const newer = (s: string) => `(EXCLUDED.${s}_created IS NOT NULL AND (t.${s}_created IS NULL OR
      (EXCLUDED.${s}_created, EXCLUDED.${s}_position) >= (t.${s}_created, t.${s}_position)))`;
  const eventNewer = `(EXCLUDED.last_event_created, EXCLUDED.last_event_position) >= (t.last_event_created, t.last_event_position)`;
  // Provisional values only stand in while no Stripe snapshot is held, on either side.
  const ungroupedNewer = table.provisional
    ? `(${newer('snapshot')} OR (EXCLUDED.snapshot_created IS NULL AND t.snapshot_created IS NULL AND ${newer('provisional')}))`
    : newer('snapshot');
  const pick = (name: string, when: string) => `CASE WHEN ${when} THEN EXCLUDED.${name} ELSE t.${name} END`;
  const updated = new Map<string, string>([
    ['deleted', `t.deleted OR EXCLUDED.deleted`],
    ['account', `COALESCE(t.account, EXCLUDED.account)`],
    ...['last_event_id', 'last_event_created', 'last_event_position'].map((n): [string, string] => [
      n,
      pick(n, eventNewer),
    ]),
    ...stamps.flatMap((s): [string, string][] => [
      [`${s}_created`, pick(`${s}_created`, newer(s))],
      [`${s}_position`, pick(`${s}_position`, newer(s))],
    ]),
    ...table.columns.map((c): [string, string] => {
      if (c.merge === 'fixed') return [c.name, `LEAST(t.${c.name}, EXCLUDED.${c.name})`];
      if (c.merge === 'union')
        return [
          c.name,
          `CASE WHEN t.${c.name} IS NULL AND EXCLUDED.${c.name} IS NULL THEN NULL ELSE
          ARRAY(SELECT DISTINCT v FROM unnest(COALESCE(t.${c.name}, '{}') || COALESCE(EXCLUDED.${c.name}, '{}')) AS v ORDER BY v) END`,
        ];
      return [c.name, pick(c.name, c.group ? newer(c.group) : ungroupedNewer)];
    }),
  ]);
  // Derived columns from the row as written: the new values on insert, the merged ones on conflict.
  const derived = Object.entries(table.derived ?? {});
  const assignments = [
    ...[...updated].map(([name, value]) => `${name} = ${value}`),
    ...derived.map(([name, sql]) => `${name} = ${sql((column) => `(${updated.get(column) ?? `t.${column}`})`)}`),
  ];
  return `INSERT INTO ${physical} AS t (${[...names, ...derived.map(([name]) => name)].join(', ')})
     SELECT ${[...names, ...derived.map(([, sql]) => sql((column) => `x.${column}`))].join(', ')}
       FROM json_to_recordset($1::json) AS x(${all.map((c) => `${c.name} ${c.type}`).join(', ')})
     ON CONFLICT (id) DO UPDATE SET ${assignments.join(',\n       ')}`;
}

/**
 * A folded row as the table holds it after upsertSnapshots: every column (null when no writer gave
 * it), bookkeeping and stamps; derived columns excepted (they are SQL).
 */
export function foldedRecord(table: SnapshotTable, row: FoldedRow): Record<string, unknown> {
  const empty = Object.fromEntries(table.columns.map((c) => [c.name, null]));
  return { ...empty, ...toRecord(table, row) };
}

function toRecord(table: SnapshotTable, row: FoldedRow): Record<string, unknown> {
  const record: Record<string, unknown> = {
    ...(row.snapshot ?? row.provisional)?.values,
    ...row.merged,
    id: row.id,
    account: row.account,
    deleted: row.deleted,
    last_event_id: row.lastEvent.id,
    last_event_created: row.lastEvent.created,
    last_event_position: row.lastEvent.position.toString(),
  };
  const parts: Record<string, Stamped | null | undefined> = {
    ...row.groups,
    snapshot: row.snapshot,
    provisional: row.provisional,
  };
  for (const stamp of stampsOf(table)) {
    const part = parts[stamp];
    if (stamp !== 'snapshot' && stamp !== 'provisional') Object.assign(record, part?.values);
    record[`${stamp}_created`] = part?.created ?? null;
    record[`${stamp}_position`] = part?.position.toString() ?? null;
  }
  return record;
}

function newest<T extends Stamp>(held: T | null | undefined, next: T | null | undefined): T | null {
  if (!held || !next) return held ?? next ?? null;
  return next.created > held.created || (next.created === held.created && next.position > held.position) ? next : held;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

const STUB_KEYS = new Set(['id', 'object', 'deleted']);

function isStub(object: Record<string, unknown>): boolean {
  return Object.keys(object).every((key) => STUB_KEYS.has(key));
}
