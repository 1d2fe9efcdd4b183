import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each projection's position last moved, so a projection behind the head that has stopped
 * moving is reported stalled. A trigger keeps it rather than each statement that writes `position`
 * (the runners' checkpoints, a rebuild's switch-over, operators' SQL): a writer added later cannot
 * forget it, and code or tests run against a schema without this column keep working.
 */
export class ProjectionAdvancedAt1764000002500 implements MigrationInterface {
  name = 'ProjectionAdvancedAt1764000002500';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE projections.projection_state ADD COLUMN advanced_at timestamptz NOT NULL DEFAULT now()`,
    );
    await db.query(`
      CREATE FUNCTION projections.projection_state_advanced() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      BEGIN
        NEW.advanced_at := now();
        RETURN NEW;
      END
      $fn$`);
    await db.query(`
      CREATE TRIGGER projection_state_advanced
        BEFORE UPDATE OF position ON projections.projection_state
        FOR EACH ROW WHEN (NEW.position IS DISTINCT FROM OLD.position)
        EXECUTE FUNCTION projections.projection_state_advanced()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER projection_state_advanced ON projections.projection_state`);
    await db.query(`DROP FUNCTION projections.projection_state_advanced()`);
    await db.query(`ALTER TABLE projections.projection_state DROP COLUMN advanced_at`);
  }
}
