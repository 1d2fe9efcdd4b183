import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The activity feed (docs/activity-feed.md). No serial or identity columns: a rebuild copies these
 * tables with CREATE TABLE ... (LIKE ... INCLUDING ALL), which would share the sequence.
 */
export class Activity1764000000600 implements MigrationInterface {
  name = 'Activity1764000000600';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE activity (
        stripe_event_id text NOT NULL,
        kind text NOT NULL,
        event_type text NOT NULL,
        customer_stripe_id text,
        customer_id uuid,
        account text,
        charge_id text,
        object_type text NOT NULL,
        object_id text,
        summary text NOT NULL,
        details json NOT NULL,
        occurred_at timestamptz NOT NULL,
        store_event_id uuid NOT NULL,
        event_position bigint NOT NULL,
        PRIMARY KEY (stripe_event_id, kind)
      )`);
    // One per way the feed query finds a customer's entries (combined with a bitmap OR).
    await db.query(`CREATE INDEX activity_customer_idx ON activity (customer_stripe_id, occurred_at)`);
    await db.query(`CREATE INDEX activity_customer_id_idx ON activity (customer_id, occurred_at)`);
    await db.query(`CREATE INDEX activity_charge_idx ON activity (charge_id) WHERE charge_id IS NOT NULL`);
    // The query hides invoice.payment_succeeded entries of invoices that have an invoice.paid one.
    await db.query(`CREATE INDEX activity_object_idx ON activity (object_id, event_type)`);
    await db.query(`
      CREATE TABLE activity_charges (
        charge_id text PRIMARY KEY,
        customer_stripe_id text NOT NULL
      )`);
    await db.query(`CREATE INDEX activity_charges_customer_idx ON activity_charges (customer_stripe_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE activity_charges`);
    await db.query(`DROP TABLE activity`);
  }
}
