import { type EventFilter, matchesFilter, type RecordedEvent } from '@ledgerline/event-store';
import { filterOf, type LedgerlineEventType } from '@ledgerline/events';
import type { ProjectionTransaction, Projector } from '@ledgerline/projections';
import { type FoldedRow, mergeRows } from '../shared/snapshot-table';
import { foldEvents } from '../shared/stripe-snapshot-projector';
import { stripeObjectOf } from '../shared/stripe-refs';
import { HISTORY_ENTITIES, type HistoryEntity } from './entity-kinds';
import { foldedFromJson, foldedToJson } from './folded-json';

/** A snapshot every this many events of one entity: time travel folds at most this many events after one. */
export const SNAPSHOT_EVERY = 200;

/** Which streams fed an entity, and up to which revision (bigints as strings: JSON). */
export type StreamRevisions = Record<string, string>;

interface EntityState {
  entity: HistoryEntity;
  key: string;
  folded: FoldedRow | null;
  streams: StreamRevisions;
  events: number;
  recordedAt: number;
  /** Streams first seen in this batch, with the object each is about. */
  newStreams: Map<string, string>;
}

interface HeadRow {
  kind: string;
  key: string;
  events: number;
  recorded_at: Date;
  streams: StreamRevisions;
  folded: unknown;
}

/**
 * Keeps what time travel needs (docs/time-travel.md): for every customer and subscription, its
 * fold so far (the head), a copy of it every SNAPSHOT_EVERY events, and the streams feeding it. The
 * fold is the customers and subscriptions projectors' own (foldEvents over their tables), so a
 * record computed from a snapshot and the events after it is the record those projectors built.
 */
export class EntityHistoryProjector implements Projector {
  readonly name = 'entity_history';
  readonly version = 1;
  readonly tables = ['entity_history_heads', 'entity_history_snapshots', 'entity_history_streams'];
  /**
   * Exactly the customers' and the subscriptions' projectors' types (HISTORY_ENTITIES): the history
   * must fold the events those projectors fold. event-routing.unit.spec.ts keeps the lists equal.
   */
  readonly handles = [
    'customer.created',
    'customer.updated',
    'customer.deleted',
    'customer.backfilled',
    'CustomerRegistered',
    'CustomerDetailsChanged',
    'CustomerDeleted',
    'CustomerLinkedToStripe',
    'customer.subscription.created',
    'customer.subscription.updated',
    'customer.subscription.deleted',
    'customer.subscription.paused',
    'customer.subscription.resumed',
    'customer.subscription.trial_will_end',
    'customer.subscription.pending_update_applied',
    'customer.subscription.pending_update_expired',
    'customer.subscription.backfilled',
    'subscription_schedule.created',
    'subscription_schedule.updated',
    'subscription_schedule.expiring',
    'subscription_schedule.completed',
    'subscription_schedule.released',
    'subscription_schedule.canceled',
    'subscription_schedule.aborted',
    'SubscriptionStarted',
    'SubscriptionAddressChanged',
    'SubscriptionShipmentsRemainingChanged',
    'SubscriptionCancellationRequested',
    'SubscriptionPlanChanged',
    'SubscriptionLinkedToStripe',
  ] as const satisfies readonly LedgerlineEventType[];
  readonly filter: EventFilter = filterOf(this.handles);

  apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    return this.applyBatch([event], tx);
  }

  async applyBatch(events: RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
    const touches = events.flatMap((event) => touchesOf(event));
    if (!touches.length) return;
    const states = await this.loadHeads(touches, tx);
    const snapshots: Record<string, unknown>[] = [];
    for (const { entity, key, row, event } of touches) {
      const state = states.get(stateId(entity, key))!;
      state.folded = state.folded ? mergeRows(entity.table, state.folded, row) : row;
      if (!(event.stream in state.streams)) state.newStreams.set(event.stream, objectIdOf(event, key));
      state.streams = { ...state.streams, [event.stream]: event.revision.toString() };
      state.events += 1;
      state.recordedAt = Math.max(state.recordedAt, Date.parse(event.metadata.recordedAt));
      if (state.events % SNAPSHOT_EVERY === 0) snapshots.push(record(state));
    }
    const touched = [...states.values()].filter((state) => state.folded);
    await tx.query(
      `INSERT INTO ${tx.table('entity_history_heads')} AS h (kind, key, events, recorded_at, streams, folded)
       SELECT kind, key, events, recorded_at, streams, folded
         FROM json_to_recordset($1::json) AS x(kind text, key text, events integer, recorded_at timestamptz, streams jsonb, folded jsonb)
       ON CONFLICT (kind, key) DO UPDATE SET events = EXCLUDED.events, recorded_at = EXCLUDED.recorded_at,
         streams = EXCLUDED.streams, folded = EXCLUDED.folded`,
      [JSON.stringify(touched.map(record))],
    );
    if (snapshots.length) {
      await tx.query(
        `INSERT INTO ${tx.table('entity_history_snapshots')} (kind, key, events, recorded_at, streams, folded)
         SELECT kind, key, events, recorded_at, streams, folded
           FROM json_to_recordset($1::json) AS x(kind text, key text, events integer, recorded_at timestamptz, streams jsonb, folded jsonb)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(snapshots)],
      );
    }
    const streams = touched.flatMap((state) =>
      [...state.newStreams].map(([stream, objectId]) => ({
        kind: state.entity.kind,
        key: state.key,
        stream,
        objectId,
      })),
    );
    if (streams.length) {
      await tx.query(
        `INSERT INTO ${tx.table('entity_history_streams')} (kind, key, stream, object_id)
         SELECT kind, key, stream, "objectId" FROM json_to_recordset($1::json) AS x(kind text, key text, stream text, "objectId" text)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(streams)],
      );
    }
  }

  private async loadHeads(
    touches: { entity: HistoryEntity; key: string }[],
    tx: ProjectionTransaction,
  ): Promise<Map<string, EntityState>> {
    const states = new Map<string, EntityState>();
    for (const { entity, key } of touches) {
      states.set(stateId(entity, key), {
        entity,
        key,
        folded: null,
        streams: {},
        events: 0,
        recordedAt: 0,
        newStreams: new Map(),
      });
    }
    const ids = [...states.values()].map((state) => ({ kind: state.entity.kind, key: state.key }));
    const heads = await tx.query<HeadRow>(
      `SELECT h.kind, h.key, h.events, h.recorded_at, h.streams, h.folded FROM ${tx.table('entity_history_heads')} h
         JOIN json_to_recordset($1::json) AS x(kind text, key text) ON h.kind = x.kind AND h.key = x.key`,
      [JSON.stringify(ids)],
    );
    for (const head of heads) {
      const state = states.get(`${head.kind}/${head.key}`)!;
      Object.assign(state, {
        folded: foldedFromJson(head.folded),
        streams: head.streams,
        events: head.events,
        recordedAt: new Date(head.recorded_at).getTime(),
      });
    }
    return states;
  }
}

/** The entities one event folds into, with its fold of each (one event, so one row per entity). */
function touchesOf(
  event: RecordedEvent,
): { entity: HistoryEntity; key: string; row: FoldedRow; event: RecordedEvent }[] {
  return HISTORY_ENTITIES.flatMap((entity) => {
    if (!matchesFilter(event, entity.filter)) return [];
    const rows = foldEvents([entity.table], [], [event]).folded.get(entity.table) ?? new Map<string, FoldedRow>();
    return [...rows].map(([key, row]) => ({ entity, key, row, event }));
  });
}

function stateId(entity: HistoryEntity, key: string): string {
  return `${entity.kind}/${key}`;
}

/** The object a stream is about: the Stripe object's id, or the platform entity's own id. */
function objectIdOf(event: RecordedEvent, key: string): string {
  const id = stripeObjectOf(event)?.object.id;
  return typeof id === 'string' ? id : key;
}

function record(state: EntityState): Record<string, unknown> {
  return {
    kind: state.entity.kind,
    key: state.key,
    events: state.events,
    recorded_at: new Date(state.recordedAt).toISOString(),
    streams: state.streams,
    folded: foldedToJson(state.folded!),
  };
}
