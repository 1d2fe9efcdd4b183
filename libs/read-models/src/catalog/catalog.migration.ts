import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of the catalog projector. Plain columns, no serials: rebuilds copy them with CREATE TABLE ... LIKE. */
export class Catalog1764000000500 implements MigrationInterface {
  name = 'Catalog1764000000500';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE products (
        id text PRIMARY KEY,
        account text,
        deleted boolean NOT NULL DEFAULT false,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        snapshot_created bigint,
        snapshot_position bigint,
        name text,
        description text,
        active boolean,
        type text,
        default_price_id text,
        metadata jsonb,
        stripe_created timestamptz
      )`);
    await db.query(`
      CREATE TABLE prices (
        id text PRIMARY KEY,
        account text,
        deleted boolean NOT NULL DEFAULT false,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        snapshot_created bigint,
        snapshot_position bigint,
        product_id text,
        nickname text,
        active boolean,
        type text,
        currency text,
        unit_amount bigint,
        billing_scheme text,
        interval text,
        interval_count integer,
        lookup_key text,
        stripe_created timestamptz
      )`);
    await db.query(`
      CREATE TABLE plans (
        id text PRIMARY KEY,
        account text,
        deleted boolean NOT NULL DEFAULT false,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        snapshot_created bigint,
        snapshot_position bigint,
        product_id text,
        nickname text,
        active boolean,
        currency text,
        amount bigint,
        interval text,
        interval_count integer,
        trial_period_days integer,
        stripe_created timestamptz
      )`);
    await db.query(`
      CREATE TABLE coupons (
        id text PRIMARY KEY,
        account text,
        deleted boolean NOT NULL DEFAULT false,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        snapshot_created bigint,
        snapshot_position bigint,
        name text,
        percent_off numeric,
        amount_off bigint,
        currency text,
        duration text,
        duration_in_months integer,
        valid boolean,
        times_redeemed integer,
        max_redemptions integer,
        redeem_by timestamptz,
        stripe_created timestamptz
      )`);
    await db.query(`
      CREATE TABLE tax_rates (
        id text PRIMARY KEY,
        account text,
        deleted boolean NOT NULL DEFAULT false,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        snapshot_created bigint,
        snapshot_position bigint,
        display_name text,
        description text,
        percentage numeric,
        inclusive boolean,
        active boolean,
        country text,
        state text,
        jurisdiction text,
        tax_type text,
        stripe_created timestamptz
      )`);
    await db.query(`CREATE INDEX prices_product_idx ON prices (product_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE tax_rates`);
    await db.query(`DROP TABLE coupons`);
    await db.query(`DROP TABLE plans`);
    await db.query(`DROP TABLE prices`);
    await db.query(`DROP TABLE products`);
  }
}

/**
 * A price's trial in the catalog's own table. The catalog listing had read it from the
 * stripe_objects snapshot, which no longer holds a copy (decision 0014). Rows are filled from the
 * copies that version 1 of stripe_objects left; the catalog's version-2 rebuild fills the rest.
 */
export class PriceTrials1764000002200 implements MigrationInterface {
  name = 'PriceTrials1764000002200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE prices ADD COLUMN trial_period_days integer`);
    const [{ present }] = await db.query(`SELECT to_regclass('stripe_objects') IS NOT NULL AS present`);
    if (!present) return; // a database with the support read models only (their tests)
    await db.query(
      `UPDATE prices p SET trial_period_days = (o.data->'recurring'->>'trial_period_days')::int
         FROM stripe_objects o
        WHERE o.id = p.id AND (o.data->'recurring'->>'trial_period_days') ~ '^[0-9]+$'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE prices DROP COLUMN trial_period_days`);
  }
}
