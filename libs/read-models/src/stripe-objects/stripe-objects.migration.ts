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
