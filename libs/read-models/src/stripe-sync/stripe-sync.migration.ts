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

/**
 * A refund request's payment, amount and currency (issue 28), so a payment shows its refunds Stripe
 * has not confirmed yet and what is left to refund. Requests recorded before are filled by
 * rebuilding the read model (`npx ledgerline rebuild stripe_sync`).
 */
export class StripeSyncRefunds1764000002910 implements MigrationInterface {
  name = 'StripeSyncRefunds1764000002910';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE stripe_sync ADD COLUMN payment_id text, ADD COLUMN amount bigint, ADD COLUMN currency text`,
    );
    await db.query(
      `CREATE INDEX stripe_sync_payment_idx ON stripe_sync (payment_id, occurred_at) WHERE payment_id IS NOT NULL`,
    );
    // The latest command of a record (its stream): GET /subscriptions/:id, /customers/:id, /payments/:id.
    await db.query(`CREATE INDEX stripe_sync_stream_idx ON stripe_sync (stream, event_position)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX stripe_sync_stream_idx`);
    await db.query(`DROP INDEX stripe_sync_payment_idx`);
    await db.query(`ALTER TABLE stripe_sync DROP COLUMN payment_id, DROP COLUMN amount, DROP COLUMN currency`);
  }
}

/**
 * The retries the process manager is waiting out (issue 28): operational state, not domain facts, so
 * not events and not part of the stripe_sync projection or its rebuilds (no foreign key either: a
 * rebuild swaps the stripe_sync table). One row per command, written by the worker that holds the
 * stripe-sync lease, deleted once the command's outcome is recorded.
 */
export class StripeSyncAttempts1764000003100 implements MigrationInterface {
  name = 'StripeSyncAttempts1764000003100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE stripe_sync_attempts (
        command_event_id uuid PRIMARY KEY,
        attempt integer NOT NULL,
        reason text NOT NULL,
        last_attempt_at timestamptz NOT NULL,
        next_attempt_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE stripe_sync_attempts`);
  }
}
