import type { FoldedRow } from '../shared/snapshot-table';

/**
 * A FoldedRow as JSON (history heads and snapshots are jsonb): positions are bigints, which JSON
 * cannot hold, so they travel as decimal strings.
 */
export function foldedToJson(row: FoldedRow): unknown {
  return JSON.parse(JSON.stringify(row, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
}

export function foldedFromJson(json: unknown): FoldedRow {
  const row = json as FoldedRow;
  const stamped = <T extends { position: bigint } | null>(part: T): T =>
    part ? { ...part, position: BigInt(part.position as unknown as string) } : part;
  return {
    ...row,
    lastEvent: stamped(row.lastEvent),
    snapshot: stamped(row.snapshot),
    provisional: stamped(row.provisional),
    groups: Object.fromEntries(Object.entries(row.groups).map(([group, part]) => [group, stamped(part)])),
  };
}
