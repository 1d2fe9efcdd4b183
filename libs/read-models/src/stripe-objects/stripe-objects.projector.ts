import type { RecordedEvent } from '@ledgerline/event-store';
import type { Projector, ProjectionTransaction } from '@ledgerline/projections';
import { stripeObjectOf } from '../shared/stripe-refs';

interface Snapshot {
  id: string;
  objectType: string;
  account: string | null;
  deleted: boolean;
  lastEventId: string;
  /** The store event that carries the snapshot: the row points at it rather than copying it. */
  storeEventId: string;
  created: number;
  position: bigint;
  /** Events of this object in the batch (1 for a single event). */
  seen: number;
}

/** Columns taken from the newer snapshot only; events_seen counts every event. */
const SNAPSHOT_COLUMNS = [
  'object_type',
  'account',
  'data',
  'last_store_event_id',
  'deleted',
  'last_event_id',
  'last_event_created',
  'last_event_position',
];
const NEWER =
  '(EXCLUDED.last_event_created, EXCLUDED.last_event_position) > (o.last_event_created, o.last_event_position)';

/**
 * The latest known snapshot of every Stripe object. Stripe delivers in any order and more than
 * once: a snapshot replaces the held one only if its event is newer (`created`; in a same-second
 * tie the later-recorded event, i.e. the higher position, wins), so arrival order does not matter
 * beyond that tie. A row names the store event that carries its snapshot instead of copying it
 * (decision 0014): the event is immutable and already stored, and copying every snapshot made this
 * projection the slowest to rebuild. The query normalises the snapshot (libs/events) when it reads it.
 */
export class StripeObjectsProjector implements Projector {
  readonly name = 'stripe_objects';
  readonly version = 2;
  readonly tables = ['stripe_objects'];
  /** Every event: the mirror keeps every Stripe object, of types no typed read model knows too. */
  readonly handles = 'all';
  /** events_seen counts every event applied: a replay would count its range twice. Rebuild instead. */
  readonly replaySafe = false;

  async apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    const snapshot = snapshotOf(event);
    if (snapshot) await upsert([snapshot], tx);
  }

  /** A batch folded per object first (newest snapshot, number of events), then one upsert. */
  async applyBatch(events: RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
    const newest = new Map<string, Snapshot>();
    for (const event of events) {
      const snapshot = snapshotOf(event);
      if (!snapshot) continue;
      const held = newest.get(snapshot.id);
      if (!held) newest.set(snapshot.id, snapshot);
      else if (isNewer(snapshot, held)) newest.set(snapshot.id, { ...snapshot, seen: held.seen + 1 });
      else held.seen += 1;
    }
    if (newest.size) await upsert([...newest.values()], tx);
  }
}

function snapshotOf(event: RecordedEvent): Snapshot | null {
  const found = stripeObjectOf(event);
  if (!found) return null;
  const { payload, object } = found;
  if (typeof object.id !== 'string' || object.id === '') return null; // balance.available, ...
  return {
    id: object.id,
    objectType: typeof object.object === 'string' ? object.object : 'unknown',
    account: typeof payload.account === 'string' ? payload.account : null,
    deleted: object.deleted === true || (payload.type ?? '').endsWith('.deleted'),
    lastEventId: payload.id ?? event.metadata.stripeEventId ?? event.id,
    storeEventId: event.id,
    created: typeof payload.created === 'number' ? payload.created : 0,
    position: event.position,
    seen: 1,
  };
}

function isNewer(a: Snapshot, b: Snapshot): boolean {
  return a.created > b.created || (a.created === b.created && a.position > b.position);
}

async function upsert(snapshots: Snapshot[], tx: ProjectionTransaction): Promise<void> {
  const table = tx.table('stripe_objects');
  // data is always NULL now: a newer snapshot also clears a copy left by version 1.
  await tx.query(
    `INSERT INTO ${table} AS o (id, ${SNAPSHOT_COLUMNS.join(', ')}, events_seen)
     SELECT x.id, x.object_type, x.account, NULL, x.store_event_id, x.deleted, x.last_event_id, x.created, x.position, x.seen
       FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::bigint[], $7::bigint[], $8::integer[], $9::uuid[])
              AS x(id, object_type, account, deleted, last_event_id, created, position, seen, store_event_id)
     ON CONFLICT (id) DO UPDATE SET
       events_seen = o.events_seen + EXCLUDED.events_seen,
       updated_at = now(),
       ${SNAPSHOT_COLUMNS.map((column) => `${column} = CASE WHEN ${NEWER} THEN EXCLUDED.${column} ELSE o.${column} END`).join(',\n       ')}`,
    [
      snapshots.map((s) => s.id),
      snapshots.map((s) => s.objectType),
      snapshots.map((s) => s.account),
      snapshots.map((s) => s.deleted),
      snapshots.map((s) => s.lastEventId),
      snapshots.map((s) => s.created),
      snapshots.map((s) => s.position.toString()),
      snapshots.map((s) => s.seen),
      snapshots.map((s) => s.storeEventId),
    ],
  );
}
