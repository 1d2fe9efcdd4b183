import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Commands run under an Idempotency-Key: the first request's answer, replayed to any repeat.
 * Not a read model (nothing rebuilds it from events): a record of what the api answered.
 */
export class CommandRequests1764000001000 implements MigrationInterface {
  name = 'CommandRequests1764000001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE command_requests (
        actor text NOT NULL,
        idempotency_key text NOT NULL,
        fingerprint text NOT NULL,
        state text NOT NULL CHECK (state IN ('running', 'done')),
        status_code integer,
        body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (actor, idempotency_key)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE command_requests`);
  }
}
