import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The history of customers and subscriptions for time travel (docs/time-travel.md): each entity's
 * current fold (head), a snapshot of it every SNAPSHOT_EVERY events, and the streams that feed it.
 */
export class EntityHistory1764000001100 implements MigrationInterface {
  name = 'EntityHistory1764000001100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE entity_history_heads (
        kind text NOT NULL,
        key text NOT NULL,
        events integer NOT NULL,
        recorded_at timestamptz NOT NULL,
        streams jsonb NOT NULL,
        folded jsonb NOT NULL,
        PRIMARY KEY (kind, key)
      )`);
    await db.query(`
      CREATE TABLE entity_history_snapshots (
        kind text NOT NULL,
        key text NOT NULL,
        events integer NOT NULL,
        recorded_at timestamptz NOT NULL,
        streams jsonb NOT NULL,
        folded jsonb NOT NULL,
        PRIMARY KEY (kind, key, events)
      )`);
    await db.query(`
      CREATE TABLE entity_history_streams (
        kind text NOT NULL,
        key text NOT NULL,
        stream text NOT NULL,
        object_id text NOT NULL,
        PRIMARY KEY (kind, key, stream)
      )`);
    // Time travel by a Stripe id (cus_..., sub_...) finds the entity through the object's stream.
    await db.query(`CREATE INDEX entity_history_streams_object_idx ON entity_history_streams (object_id, kind)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE entity_history_streams`);
    await db.query(`DROP TABLE entity_history_snapshots`);
    await db.query(`DROP TABLE entity_history_heads`);
  }
}
