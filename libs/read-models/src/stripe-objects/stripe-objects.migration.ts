import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StripeObjects1763900000100 implements MigrationInterface {
  name = 'StripeObjects1763900000100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE stripe_objects (
        id text PRIMARY KEY,
        object_type text NOT NULL,
        account text,
        data json NOT NULL,
        deleted boolean NOT NULL,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        events_seen integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX stripe_objects_type_idx ON stripe_objects (object_type)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE stripe_objects`);
  }
}

/**
 * stripe_objects keeps a reference to the store event that carries the newest snapshot instead of
 * a copy of it (decision 0014). `data` stays, nullable, for rows written before: they are served
 * as they are until the version-2 rebuild replaces them.
 */
export class StripeObjectsByReference1764000002100 implements MigrationInterface {
  name = 'StripeObjectsByReference1764000002100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE stripe_objects ADD COLUMN last_store_event_id uuid, ALTER COLUMN data DROP NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM stripe_objects WHERE data IS NULL`);
    await db.query(`ALTER TABLE stripe_objects DROP COLUMN last_store_event_id, ALTER COLUMN data SET NOT NULL`);
  }
}
