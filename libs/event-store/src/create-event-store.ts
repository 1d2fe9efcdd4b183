import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import type { EventStore } from './event-store.port';
import { PostgresEventStore } from './postgres/postgres-event-store';

export type EventStoreTarget = { adapter: 'postgres'; url: string } | { adapter: 'eventstoredb'; url: string };

/** Opens the adapter named by the target. PostgreSQL needs its migrations run first (EVENT_STORE_MIGRATIONS). */
export function createEventStore(target: EventStoreTarget): EventStore {
  return target.adapter === 'eventstoredb'
    ? new EventStoreDbEventStore(target.url)
    : new PostgresEventStore({ connectionString: target.url });
}
