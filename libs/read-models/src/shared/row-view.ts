import type { Column } from './snapshot-table';

/** Columns that are bookkeeping of the projection, not part of what the API shows. */
const HIDDEN = ['last_event_position', 'search_text'];
/** Stamp columns (`<prefix>_created`, `<prefix>_position`) besides those of the columns' groups. */
const STAMPS = ['snapshot', 'provisional'];

/** The camelCase of a snake_case column name, as camel() writes it. */
export type Camel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

/** What rowView shows for a column of each SQL type. */
interface ShownAs {
  text: string;
  bigint: number;
  numeric: number;
  integer: number;
  boolean: boolean;
  timestamptz: string;
  'text[]': string[];
  jsonb: unknown;
}

/** The bookkeeping columns every snapshot table has (BOOKKEEPING), as rowView shows them. */
export interface RowBookkeeping {
  /** The row's key: the Stripe id, or the platform id of a platform record. */
  id: string;
  /** The connected account (`acct_...`) the object belongs to; null for the platform's own. */
  account: string | null;
  deleted: boolean;
  /** The event that last changed the row. */
  lastEventId: string;
  /** When that event happened (its `created`). */
  lastEventAt: string;
}

/**
 * A row with these columns as the API shows it, key for key: each column by its camelCase name,
 * null when the row has no value. jsonb columns are `unknown` unless `Shapes` names what the
 * projector writes into them (by camelCase name).
 */
export type RowView<C extends readonly Column[], Shapes extends object = object> = RowBookkeeping & {
  [K in C[number] as Camel<K['name']>]: Camel<K['name']> extends keyof Shapes
    ? Shapes[Camel<K['name']>]
    : K['type'] extends keyof ShownAs
      ? ShownAs[K['type']] | null
      : unknown;
};

/**
 * A read-model row as the API shows it: camelCase keys, ISO times, numbers for bigint amounts
 * (pg returns int8 as text; Stripe amounts are far below 2^53), and when the row last changed.
 */
export function rowView<C extends readonly Column[]>(row: Record<string, unknown>, columns: C): RowView<C> {
  const bigints = new Set(columns.filter((c) => c.type === 'bigint' || c.type === 'numeric').map((c) => c.name));
  const stamps = [...STAMPS, ...columns.flatMap((c) => (c.group ? [c.group] : []))];
  const hidden = new Set([...HIDDEN, ...stamps.flatMap((s) => [`${s}_created`, `${s}_position`])]);
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (hidden.has(key)) continue;
    if (key === 'last_event_created') {
      view.lastEventAt = new Date(Number(value) * 1000).toISOString();
      continue;
    }
    view[camel(key)] = convert(value, bigints.has(key));
  }
  return view as RowView<C>;
}

function convert(value: unknown, numeric: boolean): unknown {
  if (value instanceof Date) return value.toISOString();
  if (numeric && typeof value === 'string') return Number(value);
  return value;
}

export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A user's search text as a LIKE pattern matching it anywhere, its metacharacters taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
