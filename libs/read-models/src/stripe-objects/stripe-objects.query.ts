import type { DataSource } from 'typeorm';
import type { EventStore } from '@ledgerline/event-store';
import { normaliseStripeObject } from '@ledgerline/events';
import { stripeObjectOf } from '../shared/stripe-refs';

export interface StripeObjectView {
  id: string;
  object: string;
  account: string | null;
  data: unknown;
  deleted: boolean;
  lastEventId: string;
  lastEventCreated: string;
  eventsSeen: number;
}

interface StripeObjectRow {
  id: string;
  object_type: string;
  account: string | null;
  data: unknown;
  last_store_event_id: string | null;
  deleted: boolean;
  last_event_id: string;
  last_event_created: string;
  events_seen: number;
}

/**
 * The latest snapshot of a Stripe object: the row says which store event carries it, and the
 * snapshot is read from that event, normalised as every read model sees it (decision 0014).
 */
export async function findStripeObject(
  dataSource: DataSource,
  store: Pick<EventStore, 'readEventById'>,
  id: string,
): Promise<StripeObjectView | null> {
  const rows: StripeObjectRow[] = await dataSource.query(`SELECT * FROM stripe_objects WHERE id = $1`, [id]);
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    object: row.object_type,
    account: row.account,
    data: row.last_store_event_id ? await snapshotIn(store, row.last_store_event_id, id) : row.data,
    deleted: row.deleted,
    lastEventId: row.last_event_id,
    lastEventCreated: new Date(Number(row.last_event_created) * 1000).toISOString(),
    eventsSeen: row.events_seen,
  };
}

async function snapshotIn(store: Pick<EventStore, 'readEventById'>, eventId: string, id: string): Promise<unknown> {
  const event = await store.readEventById(eventId);
  const object = event ? stripeObjectOf(event)?.object : undefined;
  // Events are never deleted, so this is a store that is not the one the read model was built from.
  if (!object) throw new Error(`stripe_objects: the event ${eventId} holding ${id}'s snapshot is not in the store`);
  return normaliseStripeObject(object);
}
