import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of the customers projector. Plain columns, no serials: rebuilds copy them with CREATE TABLE ... LIKE. */
export class Customers1764000000100 implements MigrationInterface {
  name = 'Customers1764000000100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE customers (
        id text PRIMARY KEY,
        account text,
        deleted boolean NOT NULL DEFAULT false,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        snapshot_created bigint,
        snapshot_position bigint,
        stripe_id text,
        stripe_ids text[],
        email text,
        name text,
        first_name text,
        last_name text,
        phone text,
        company text,
        department text,
        description text,
        addresses jsonb,
        balance bigint,
        currency text,
        delinquent boolean,
        default_payment_method text,
        metadata jsonb,
        livemode boolean,
        stripe_created timestamptz,
        search_text text
      )`);
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await db.query(`CREATE INDEX customers_search_idx ON customers USING gin (search_text gin_trgm_ops)`);
    await db.query(`CREATE INDEX customers_stripe_ids_idx ON customers USING gin (stripe_ids)`);
    await db.query(`CREATE INDEX customers_name_idx ON customers (name, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE customers`);
  }
}
