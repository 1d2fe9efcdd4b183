export * from './event-store.port';
export * from './errors';
export { categoryOf } from './append-validation';
export { uuidV5 } from './deterministic-id';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
export { EVENT_STORE_MIGRATIONS } from './postgres/event-store-schema.migration';
export { createEventStore, describeEventStoreUrl } from './create-event-store';
export type { EventStoreTarget } from './create-event-store';
