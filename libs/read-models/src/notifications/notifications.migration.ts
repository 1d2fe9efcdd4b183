import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * No serial or identity columns: a rebuild copies the table with CREATE TABLE ... (LIKE ...
 * INCLUDING ALL), which would share the sequence with the live table.
 */
export class Notifications1764000000700 implements MigrationInterface {
  name = 'Notifications1764000000700';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        customer_stripe_id text NOT NULL,
        customer_id uuid NOT NULL,
        account text,
        stripe_event_id text NOT NULL,
        store_event_id uuid NOT NULL,
        event_position bigint NOT NULL,
        occurred_at timestamptz NOT NULL,
        subject json NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz,
        sent_at timestamptz
      )`);
    // The dispatcher's due query: only pending rows, the oldest due first.
    await db.query(
      `CREATE INDEX notifications_due_idx ON notifications (next_attempt_at NULLS FIRST, occurred_at)
        WHERE status = 'pending'`,
    );
    // A customer's notifications tab matches either id (see listCustomerNotifications).
    await db.query(`CREATE INDEX notifications_customer_idx ON notifications (customer_id, occurred_at DESC)`);
    await db.query(
      `CREATE INDEX notifications_customer_stripe_idx ON notifications (customer_stripe_id, occurred_at DESC)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE notifications`);
  }
}
