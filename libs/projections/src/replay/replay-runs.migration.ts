import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Replay runs (`ledgerline replay`): what each run covers and how far it got, so an interrupted or
 * crashed run is resumed from its stored position. `position` moves in the transaction that applies
 * each batch, so it is never ahead of or behind what was written.
 */
export class ReplayRuns1764000001500 implements MigrationInterface {
  name = 'ReplayRuns1764000001500';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE projections.replay_runs (
        id bigserial PRIMARY KEY,
        projections text[] NOT NULL,
        types text[],
        requested_from text NOT NULL,
        requested_to text NOT NULL,
        from_position bigint NOT NULL,
        to_position bigint NOT NULL,
        position bigint NOT NULL,
        batch_size integer NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'interrupted', 'done', 'failed')),
        events_read bigint NOT NULL DEFAULT 0,
        applied jsonb NOT NULL DEFAULT '{}',
        error text,
        started_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CHECK (from_position <= position AND position <= to_position)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE projections.replay_runs`);
  }
}
