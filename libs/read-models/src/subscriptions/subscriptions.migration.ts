import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of the subscriptions projector. Plain columns, no serials: rebuilds copy them with CREATE TABLE ... LIKE. */
export class Subscriptions1764000000200 implements MigrationInterface {
  name = 'Subscriptions1764000000200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE subscriptions (
        id text PRIMARY KEY,
        account text,
        deleted boolean NOT NULL DEFAULT false,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        snapshot_created bigint,
        snapshot_position bigint,
        customer_stripe_id text,
        status text,
        items jsonb,
        product_ids text[],
        currency text,
        trial_start timestamptz,
        trial_end timestamptz,
        current_period_start timestamptz,
        current_period_end timestamptz,
        cancel_at_period_end boolean,
        cancel_at timestamptz,
        canceled_at timestamptz,
        ended_at timestamptz,
        start_date timestamptz,
        collection_method text,
        discount jsonb,
        gift_recipient text,
        shipments_remaining integer,
        schedule_id text,
        latest_invoice_id text,
        default_payment_method text,
        metadata jsonb,
        livemode boolean,
        stripe_created timestamptz
      )`);
    await db.query(`
      CREATE TABLE subscription_schedules (
        id text PRIMARY KEY,
        account text,
        deleted boolean NOT NULL DEFAULT false,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        snapshot_created bigint,
        snapshot_position bigint,
        customer_stripe_id text,
        subscription_id text,
        status text,
        end_behavior text,
        phases jsonb,
        stripe_created timestamptz
      )`);
    await db.query(`
      CREATE TABLE subscription_observations (
        subscription_id text,
        stripe_event_id text,
        store_event_id uuid,
        event_type text,
        event_created bigint,
        event_position bigint,
        customer_stripe_id text,
        status text,
        previous_status text,
        product_ids text[],
        cancel_at_period_end boolean,
        current_period_end timestamptz,
        PRIMARY KEY (subscription_id, stripe_event_id)
      )`);
    await db.query(`CREATE INDEX subscriptions_customer_idx ON subscriptions (customer_stripe_id)`);
    await db.query(`CREATE INDEX subscriptions_status_idx ON subscriptions (status, stripe_created DESC)`);
    await db.query(
      `CREATE INDEX subscription_observations_customer_idx ON subscription_observations (customer_stripe_id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE subscription_observations`);
    await db.query(`DROP TABLE subscription_schedules`);
    await db.query(`DROP TABLE subscriptions`);
  }
}
