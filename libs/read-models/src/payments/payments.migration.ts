import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of the payments projector. Plain columns, no serials: rebuilds copy them with CREATE TABLE ... LIKE. */
export class Payments1764000000400 implements MigrationInterface {
  name = 'Payments1764000000400';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE charges (
        id text PRIMARY KEY,
        account text,
        deleted boolean NOT NULL DEFAULT false,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        snapshot_created bigint,
        snapshot_position bigint,
        customer_stripe_id text,
        payment_intent_id text,
        invoice_id text,
        amount bigint,
        amount_captured bigint,
        amount_refunded bigint,
        currency text,
        status text,
        paid boolean,
        refunded boolean,
        disputed boolean,
        failure_code text,
        failure_message text,
        payment_method_id text,
        payment_method jsonb,
        receipt_url text,
        receipt_number text,
        description text,
        livemode boolean,
        stripe_created timestamptz
      )`);
    await db.query(`
      CREATE TABLE payment_intents (
        id text PRIMARY KEY,
        account text,
        deleted boolean NOT NULL DEFAULT false,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        snapshot_created bigint,
        snapshot_position bigint,
        customer_stripe_id text,
        invoice_id text,
        amount bigint,
        amount_received bigint,
        currency text,
        status text,
        latest_charge_id text,
        payment_method_id text,
        failure_code text,
        failure_message text,
        description text,
        canceled_at timestamptz,
        cancellation_reason text,
        livemode boolean,
        stripe_created timestamptz
      )`);
    await db.query(`
      CREATE TABLE refunds (
        id text PRIMARY KEY,
        account text,
        deleted boolean NOT NULL DEFAULT false,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        snapshot_created bigint,
        snapshot_position bigint,
        charge_id text,
        payment_intent_id text,
        amount bigint,
        currency text,
        status text,
        reason text,
        failure_reason text,
        initiated_by text,
        stripe_created timestamptz
      )`);
    await db.query(`
      CREATE TABLE disputes (
        id text PRIMARY KEY,
        account text,
        deleted boolean NOT NULL DEFAULT false,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        snapshot_created bigint,
        snapshot_position bigint,
        charge_id text,
        payment_intent_id text,
        amount bigint,
        currency text,
        status text,
        reason text,
        evidence_due_by timestamptz,
        funds jsonb,
        stripe_created timestamptz
      )`);
    await db.query(`CREATE INDEX charges_customer_idx ON charges (customer_stripe_id, stripe_created DESC)`);
    await db.query(`CREATE INDEX charges_payment_intent_idx ON charges (payment_intent_id)`);
    await db.query(
      `CREATE INDEX payment_intents_customer_idx ON payment_intents (customer_stripe_id, stripe_created DESC)`,
    );
    await db.query(`CREATE INDEX refunds_charge_idx ON refunds (charge_id)`);
    await db.query(`CREATE INDEX disputes_charge_idx ON disputes (charge_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE disputes`);
    await db.query(`DROP TABLE refunds`);
    await db.query(`DROP TABLE payment_intents`);
    await db.query(`DROP TABLE charges`);
  }
}
