import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each run's findings counted by kind, kept beside the report so a list of runs (which the console
 * polls) never parses whole reports; runs finished before this column are filled from theirs once.
 */
export class ReconciliationFindingsByKind1764000002000 implements MigrationInterface {
  name = 'ReconciliationFindingsByKind1764000002000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE reconciliation_runs ADD COLUMN findings_by_kind jsonb`);
    await db.query(
      `UPDATE reconciliation_runs SET findings_by_kind = report::jsonb -> 'summary' -> 'byKind' WHERE report IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE reconciliation_runs DROP COLUMN findings_by_kind`);
  }
}
