import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stripe_sync read model (docs/stripe-sync.md): one row per platform command the Stripe process
 * manager carries out. Plain columns only: a rebuild copies the table with
 * CREATE TABLE ... (LIKE ... INCLUDING ALL), which would share a sequence.
 */
export class StripeSync1764000000900 implements MigrationInterface {
  name = 'StripeSync1764000000900';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE stripe_sync (
        command_event_id uuid PRIMARY KEY,
        stream text,
        command_event_type text,
        customer_id uuid,
        actor text,
        occurred_at timestamptz,
        event_position bigint,
        status text NOT NULL CHECK (status IN ('pending', 'synced', 'failed')),
        stripe_ids jsonb,
        reason text,
        attempts integer NOT NULL,
        outcome_event_id uuid,
        outcome_at timestamptz,
        outcome_position bigint
      )`);
    // The list, newest first, whole or by status or customer; the summary's oldest pending command.
    await db.query(`CREATE INDEX stripe_sync_occurred_idx ON stripe_sync (occurred_at, event_position)`);
    await db.query(`CREATE INDEX stripe_sync_status_idx ON stripe_sync (status, occurred_at)`);
    await db.query(`CREATE INDEX stripe_sync_customer_idx ON stripe_sync (customer_id, occurred_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE stripe_sync`);
  }
}
