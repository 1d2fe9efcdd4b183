import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Money digests kept between reconciliation runs (decision 0015): one row per money event and digest
 * version (the digest null when the event tells a run nothing: a run still counts it as read), and
 * per version how far the log has been digested.
 */
export class MoneyDigests1764000002300 implements MigrationInterface {
  name = 'MoneyDigests1764000002300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE reconciliation_digests (
        version integer NOT NULL,
        position bigint NOT NULL,
        event_id text NOT NULL,
        digest text,
        PRIMARY KEY (version, position)
      )`);
    await db.query(`
      CREATE TABLE reconciliation_digest_coverage (
        version integer PRIMARY KEY,
        -- Every money event at or before this store position has its digest (if it has one).
        covered_to bigint NOT NULL,
        -- The last money event digested: the store must still hold it there, or the digests are of another log.
        last_event_id text,
        last_event_position bigint,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE reconciliation_digest_coverage`);
    await db.query(`DROP TABLE reconciliation_digests`);
  }
}
