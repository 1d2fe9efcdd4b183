import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of the payment_methods projector. Plain columns, no serials: rebuilds copy them with CREATE TABLE ... LIKE. */
export class PaymentMethods1764000000150 implements MigrationInterface {
  name = 'PaymentMethods1764000000150';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE payment_methods (
        id text PRIMARY KEY,
        account text,
        deleted boolean NOT NULL DEFAULT false,
        last_event_id text NOT NULL,
        last_event_created bigint NOT NULL,
        last_event_position bigint NOT NULL,
        snapshot_created bigint,
        snapshot_position bigint,
        customer_stripe_id text,
        type text,
        brand text,
        last4 text,
        exp_month integer,
        exp_year integer,
        wallet text,
        livemode boolean,
        stripe_created timestamptz
      )`);
    await db.query(`CREATE INDEX payment_methods_customer_idx ON payment_methods (customer_stripe_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE payment_methods`);
  }
}
