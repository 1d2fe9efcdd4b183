import type { RecordedEvent } from '@ledgerline/event-store';
import { normaliseStripeObject } from '@ledgerline/events';
import type { Projector, ProjectionTransaction } from '@ledgerline/projections';

interface StripeEventData {
  id?: string;
  type?: string;
  created?: number;
  account?: string | null;
  data?: { object?: { id?: unknown; object?: unknown; deleted?: unknown } | null } | null;
}

/** Columns taken from the newer snapshot only; events_seen counts every event. */
const SNAPSHOT_COLUMNS = [
  'object_type',
  'account',
  'data',
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
 * beyond that tie. Snapshots are stored normalised (libs/events), the same shape for every API version.
 */
export class StripeObjectsProjector implements Projector {
  readonly name = 'stripe_objects';
  readonly version = 1;
  readonly tables = ['stripe_objects'];

  async apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    const source = event.metadata.source;
    if (source !== 'stripe' && source !== 'backfill') return;
    const payload = event.data as StripeEventData;
    const object = payload.data?.object;
    if (!object || typeof object.id !== 'string' || object.id === '') return; // balance.available, ...
    const objectType = typeof object.object === 'string' ? object.object : 'unknown';
    const deleted = object.deleted === true || (payload.type ?? '').endsWith('.deleted');
    await tx.query(
      `INSERT INTO ${tx.table('stripe_objects')} AS o (id, ${SNAPSHOT_COLUMNS.join(', ')}, events_seen)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)
       ON CONFLICT (id) DO UPDATE SET
         events_seen = o.events_seen + 1,
         updated_at = now(),
         ${SNAPSHOT_COLUMNS.map((column) => `${column} = CASE WHEN ${NEWER} THEN EXCLUDED.${column} ELSE o.${column} END`).join(',\n         ')}`,
      [
        object.id,
        objectType,
        typeof payload.account === 'string' ? payload.account : null,
        JSON.stringify(normaliseStripeObject(object as Record<string, unknown>)),
        deleted,
        payload.id ?? event.metadata.stripeEventId ?? event.id,
        typeof payload.created === 'number' ? payload.created : 0,
        event.position.toString(),
      ],
    );
  }
}
