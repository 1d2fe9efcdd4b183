import type { DataSource } from 'typeorm';
import { type EventStore, isUuid, matchesFilter, type RecordedEvent } from '@ledgerline/event-store';
import { type FoldedRow, mergeRows } from '../shared/snapshot-table';
import { foldEvents } from '../shared/stripe-snapshot-projector';
import { type EntityKind, type HistoryEntity, historyEntity } from './entity-kinds';
import type { StreamRevisions } from './entity-history.projector';
import { foldedFromJson } from './folded-json';

const PAGE = 256;

/** An entity's fold as it stood at `asOf`, and what it took to compute it. */
export interface PastFold {
  key: string;
  row: FoldedRow;
  /** Events folded after the snapshot, and the events the snapshot stood for. */
  eventsRead: number;
  snapshotEvents: number;
}

/**
 * Time travel: the entity as it stood at `asOf`, i.e. folded from every event of its streams
 * recorded at or before then, with its projector's own fold (foldEvents). The newest snapshot
 * recorded by then stands for the events before it; the read models are never read. Null when
 * the entity did not exist yet (or is unknown).
 */
export async function foldAsOf(
  dataSource: DataSource,
  store: EventStore,
  kind: EntityKind,
  id: string,
  asOf: Date,
): Promise<PastFold | null> {
  const entity = historyEntity(kind);
  const key = await historyKeyOf(dataSource, kind, id);
  if (!key) return null;
  const [snapshot] = await dataSource.query<{ events: number; streams: StreamRevisions; folded: unknown }[]>(
    `SELECT events, streams, folded FROM entity_history_snapshots
      WHERE kind = $1 AND key = $2 AND recorded_at <= $3 ORDER BY events DESC LIMIT 1`,
    [kind, key, asOf],
  );
  const streams = new Set([
    ...(await historyStreamsOf(dataSource, kind, key)),
    ...Object.keys(snapshot?.streams ?? {}),
  ]);
  const pages = await Promise.all(
    [...streams].map((stream) => eventsAfter(store, entity, stream, snapshot?.streams[stream], asOf)),
  );
  const events = pages.flat().sort((a, b) => (a.position < b.position ? -1 : 1));
  const folded = foldEvents([entity.table], [], events).folded.get(entity.table)?.get(key) ?? null;
  const base = snapshot ? foldedFromJson(snapshot.folded) : null;
  const row = base && folded ? mergeRows(entity.table, base, folded) : (base ?? folded);
  if (!row) return null;
  return { key, row, eventsRead: events.length, snapshotEvents: snapshot?.events ?? 0 };
}

/** The stream's events after a revision, up to `asOf` (a stream is recorded in revision order). */
async function eventsAfter(
  store: EventStore,
  entity: HistoryEntity,
  stream: string,
  revision: string | undefined,
  asOf: Date,
): Promise<RecordedEvent[]> {
  const found: RecordedEvent[] = [];
  let from = revision === undefined ? 0n : BigInt(revision) + 1n;
  for (;;) {
    const page = await store.readStream(stream, { fromRevision: from, maxCount: PAGE });
    for (const event of page) {
      if (Date.parse(event.metadata.recordedAt) > asOf.getTime()) return found;
      if (matchesFilter(event, entity.filter)) found.push(event);
    }
    if (page.length < PAGE) return found;
    from = page[page.length - 1]!.revision + 1n;
  }
}

/** The entity's key: a platform id as such, a Stripe id through the streams the entity was fed by. */
export async function historyKeyOf(dataSource: DataSource, kind: EntityKind, id: string): Promise<string | null> {
  if (isUuid(id)) return id.toLowerCase();
  const [row] = await dataSource.query<{ key: string }[]>(
    `SELECT key FROM entity_history_streams WHERE object_id = $1 AND kind = $2 ORDER BY key LIMIT 1`,
    [id, kind],
  );
  return row?.key ?? null;
}

/** Every stream that feeds the entity; a platform id's own stream even before the projector saw it. */
export async function historyStreamsOf(dataSource: DataSource, kind: EntityKind, key: string): Promise<string[]> {
  const known = await dataSource.query<{ stream: string }[]>(
    `SELECT stream FROM entity_history_streams WHERE kind = $1 AND key = $2`,
    [kind, key],
  );
  const streams = new Set(known.map((row) => row.stream));
  if (isUuid(key)) streams.add(historyEntity(kind).platformStream(key));
  return [...streams];
}
