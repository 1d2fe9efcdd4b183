import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of the invoices projector. Plain columns, no serials: rebuilds copy them with CREATE TABLE ... LIKE. */
export class Invoices1764000000300 implements MigrationInterface {
  name = 'Invoices1764000000300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE invoices (
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
        number text,
        status text,
        currency text,
        subtotal bigint,
        tax bigint,
        discount_amount bigint,
        total bigint,
        amount_due bigint,
        amount_paid bigint,
        amount_remaining bigint,
        due_date timestamptz,
        attempt_count integer,
        next_payment_attempt timestamptz,
        hosted_invoice_url text,
        invoice_pdf text,
        period_start timestamptz,
        period_end timestamptz,
        billing_reason text,
        collection_method text,
        payment_intent_id text,
        charge_id text,
        paid_at timestamptz,
        lines jsonb,
        livemode boolean,
        stripe_created timestamptz
      )`);
    await db.query(`
      CREATE TABLE credit_notes (
        id text PRIMARY KEY,
        account text,
        deleted boolean NOT NULL DEFAULT false,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        snapshot_created bigint,
        snapshot_position bigint,
        invoice_id text,
        customer_stripe_id text,
        number text,
        status text,
        reason text,
        type text,
        amount bigint,
        currency text,
        refund_id text,
        lines jsonb,
        stripe_created timestamptz
      )`);
    await db.query(`
      CREATE TABLE purchases (
        invoice_id text,
        product_id text,
        customer_stripe_id text,
        stripe_event_id text,
        store_event_id uuid,
        purchased_at timestamptz,
        PRIMARY KEY (invoice_id, product_id)
      )`);
    await db.query(`CREATE INDEX invoices_customer_idx ON invoices (customer_stripe_id, stripe_created DESC)`);
    await db.query(`CREATE INDEX invoices_subscription_idx ON invoices (subscription_id)`);
    await db.query(`CREATE INDEX credit_notes_invoice_idx ON credit_notes (invoice_id)`);
    await db.query(`CREATE INDEX purchases_customer_idx ON purchases (customer_stripe_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE purchases`);
    await db.query(`DROP TABLE credit_notes`);
    await db.query(`DROP TABLE invoices`);
  }
}
