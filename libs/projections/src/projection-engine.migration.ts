import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The projection engine's bookkeeping: one state row per projector, and its parked events. */
export class ProjectionEngine1763900000000 implements MigrationInterface {
  name = 'ProjectionEngine1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SCHEMA IF NOT EXISTS projections`);
    await db.query(`
      CREATE TABLE projections.projection_state (
        name text PRIMARY KEY,
        version integer NOT NULL,
        position bigint NOT NULL DEFAULT 0,
        status text NOT NULL DEFAULT 'starting',
        last_error text,
        last_error_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE projections.parked_events (
        projection text NOT NULL,
        position bigint NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        stream text NOT NULL,
        error text NOT NULL,
        attempts integer NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, position)
      )`);
    // At most one active rebuild per projection, whoever asks (api, CLI, a version bump).
    await db.query(`
      CREATE TABLE projections.rebuild_requests (
        id bigserial PRIMARY KEY,
        projection text NOT NULL,
        status text NOT NULL CHECK (status IN ('requested', 'running', 'cancelling', 'cancelled', 'done', 'failed')),
        reason text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        error text
      )`);
    await db.query(
      `CREATE UNIQUE INDEX rebuild_requests_one_active ON projections.rebuild_requests (projection)
         WHERE status IN ('requested', 'running', 'cancelling')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP SCHEMA projections CASCADE`);
  }
}
