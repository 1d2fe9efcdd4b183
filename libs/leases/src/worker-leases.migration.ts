import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several workers share the work through leases (docs/decisions/0016-work-leases.md): a row per
 * live worker, renewed by its heartbeat, and a row per unit of work naming its one owner. `token`
 * grows with every acquisition: a write carrying an older token is fenced off.
 */
export class WorkerLeases1764000002600 implements MigrationInterface {
  name = 'WorkerLeases1764000002600';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SCHEMA IF NOT EXISTS workers`);
    await db.query(`
      CREATE TABLE workers.members (
        worker_id text PRIMARY KEY,
        host text NOT NULL,
        pid integer NOT NULL,
        port integer,
        started_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE workers.leases (
        unit text PRIMARY KEY,
        owner text,
        token bigint NOT NULL,
        acquired_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP SCHEMA workers CASCADE`);
  }
}
