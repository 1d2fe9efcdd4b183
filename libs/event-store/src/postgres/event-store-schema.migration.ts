import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APPEND_FUNCTIONS_SQL } from './append-function.sql';

/**
 * The PostgreSQL event store's own schema. Positions are dense (1, 2, 3, ...) and assigned in
 * commit order under a store-wide lock: see docs/decisions/0001-postgres-global-order.md.
 */
export class EventStoreSchema1763700000000 implements MigrationInterface {
  name = 'EventStoreSchema1763700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SCHEMA IF NOT EXISTS event_store`);
    await db.query(`
      CREATE TABLE event_store.streams (
        stream_name text PRIMARY KEY,
        category text NOT NULL,
        revision bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE event_store.events (
        position bigint PRIMARY KEY,
        event_id uuid NOT NULL CONSTRAINT events_event_id_key UNIQUE,
        stream_name text NOT NULL,
        stream_revision bigint NOT NULL,
        category text NOT NULL,
        type text NOT NULL,
        data json NOT NULL,
        metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT events_stream_revision_key UNIQUE (stream_name, stream_revision)
      )`);
    await db.query(`CREATE INDEX events_category_position_idx ON event_store.events (category, position)`);
    // No index on type: prefix filters run as `starts_with(type, ...)` along the position index,
    // which the planner prefers anyway; an index every insert pays for and no query uses is waste.
    await db.query(`
      CREATE TABLE event_store.checkpoints (
        checkpoint_id text PRIMARY KEY,
        position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE event_store.consumer_groups (
        name text PRIMARY KEY,
        filter jsonb NOT NULL,
        ack_timeout_ms integer NOT NULL CHECK (ack_timeout_ms > 0),
        max_deliveries integer NOT NULL CHECK (max_deliveries > 0),
        enqueued_up_to bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE event_store.consumer_group_messages (
        group_name text NOT NULL REFERENCES event_store.consumer_groups (name) ON DELETE CASCADE,
        position bigint NOT NULL,
        event_id uuid NOT NULL,
        state text NOT NULL CHECK (state IN ('ready', 'inflight', 'parked')),
        delivery_count integer NOT NULL DEFAULT 0,
        member_id text,
        visible_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        parked_at timestamptz,
        PRIMARY KEY (group_name, position)
      )`);
    await db.query(
      `CREATE INDEX consumer_group_messages_due_idx
         ON event_store.consumer_group_messages (group_name, state, visible_at, position)`,
    );
    await db.query(
      `CREATE INDEX consumer_group_messages_event_idx ON event_store.consumer_group_messages (group_name, event_id)`,
    );
    await db.query(APPEND_FUNCTIONS_SQL);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP SCHEMA event_store CASCADE`);
  }
}

/**
 * insert_events takes its payloads as binary `json[]` and `jsonb[]` arrays (it took two JSON array
 * documents). A store created before this gets the new function and loses the old one; a new store
 * already has the new one from the first migration, and this changes nothing.
 */
export class EventStoreBinaryPayloads1764000002400 implements MigrationInterface {
  name = 'EventStoreBinaryPayloads1764000002400';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `DROP FUNCTION IF EXISTS event_store.insert_events(uuid[], text[], bigint[], text[], text[], json, json,
                                                         text[], text[], bigint[])`,
    );
    await db.query(APPEND_FUNCTIONS_SQL);
  }

  async down(): Promise<void> {
    // The old function is gone with its callers; the new one stays, as the first migration makes it.
  }
}

export const EVENT_STORE_MIGRATIONS = [EventStoreSchema1763700000000, EventStoreBinaryPayloads1764000002400];
