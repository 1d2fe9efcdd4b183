import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Backfill runs and, per run, Connect account and object type, how far the listing got: the cursor
 * (`starting_after`) of the last page whose objects are all stored, which is where a resumed run goes on.
 */
export class BackfillRuns1764000001700 implements MigrationInterface {
  name = 'BackfillRuns1764000001700';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE backfill_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('backfill', 'product_import')),
        run_key text NOT NULL,
        objects text[] NOT NULL,
        account_scope text NOT NULL,
        since timestamptz,
        since_spec text,
        stripe_product_id text,
        requested_by text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed', 'stopped')),
        stop_requested boolean NOT NULL DEFAULT false,
        owner text,
        error text,
        requested_at timestamptz NOT NULL DEFAULT now(),
        claimed_at timestamptz,
        fetched_at_claim bigint NOT NULL DEFAULT 0,
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await db.query(`CREATE INDEX backfill_runs_requested_idx ON backfill_runs (requested_at DESC, id)`);
    await db.query(`CREATE INDEX backfill_runs_key_idx ON backfill_runs (run_key, requested_at DESC)`);
    await db.query(`
      CREATE TABLE backfill_progress (
        run_id uuid NOT NULL REFERENCES backfill_runs (id) ON DELETE CASCADE,
        account text NOT NULL,
        object_type text NOT NULL,
        ordinal integer NOT NULL,
        cursor text,
        done boolean NOT NULL DEFAULT false,
        fetched bigint NOT NULL DEFAULT 0,
        appended bigint NOT NULL DEFAULT 0,
        unchanged bigint NOT NULL DEFAULT 0,
        failed bigint NOT NULL DEFAULT 0,
        retries bigint NOT NULL DEFAULT 0,
        estimated_total bigint,
        error text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (run_id, account, object_type)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE backfill_progress`);
    await db.query(`DROP TABLE backfill_runs`);
  }
}
