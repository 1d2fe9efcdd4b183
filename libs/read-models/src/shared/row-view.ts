import type { Column } from './snapshot-table';

/** Columns that are bookkeeping of the projection, not part of what the API shows. */
const HIDDEN = ['last_event_position', 'search_text'];
/** Stamp columns (`<prefix>_created`, `<prefix>_position`) besides those of the columns' groups. */
const STAMPS = ['snapshot', 'provisional'];

/**
 * A read-model row as the API shows it: camelCase keys, ISO times, numbers for bigint amounts
 * (pg returns int8 as text; Stripe amounts are far below 2^53), and when the row last changed.
 */
export function rowView(row: Record<string, unknown>, columns: readonly Column[]): Record<string, unknown> {
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
  return view;
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
