import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit index (docs/audit.md): which events concern which customer, so a customer's audit trail
 * is one indexed range scan however many streams feed it.
 */
export class AuditIndex1764000001200 implements MigrationInterface {
  name = 'AuditIndex1764000001200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_index (
        ref text NOT NULL,
        position bigint NOT NULL,
        occurred_at timestamptz NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        object_id text,
        PRIMARY KEY (ref, position)
      )`);
    await db.query(`CREATE INDEX audit_index_time_idx ON audit_index (ref, occurred_at, position)`);
    // A platform stream belongs to the customer its first event names; later events may not name one.
    await db.query(`CREATE TABLE audit_streams (stream text PRIMARY KEY, ref text NOT NULL)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_streams`);
    await db.query(`DROP TABLE audit_index`);
  }
}
