import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation runs, kept and listed: what each was asked for, by whom, how far it got, and its
 * report as the exact bytes it was written with (so every read of it is byte-identical).
 */
export class ReconciliationRuns1764000001600 implements MigrationInterface {
  name = 'ReconciliationRuns1764000001600';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE reconciliation_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        period_from timestamptz NOT NULL,
        period_to timestamptz NOT NULL,
        currency text,
        account text,
        requested_by text NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
        position bigint,
        events_read bigint NOT NULL DEFAULT 0,
        phase text,
        source text,
        findings integer,
        report text,
        error text,
        requested_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CHECK (period_from < period_to)
      )`);
    await db.query(`CREATE INDEX reconciliation_runs_requested_idx ON reconciliation_runs (requested_at DESC, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE reconciliation_runs`);
  }
}
