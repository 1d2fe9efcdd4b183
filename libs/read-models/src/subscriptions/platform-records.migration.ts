import type { MigrationInterface, QueryRunner } from 'typeorm';

const stamps = (...prefixes: string[]) =>
  prefixes.flatMap((p) => [`ADD COLUMN ${p}_created bigint`, `ADD COLUMN ${p}_position bigint`]).join(', ');

/**
 * The platform's own records in the customers and subscriptions read models (issue 6): column
 * groups' stamps and the subscription's platform columns. Plain columns only: rebuilds copy tables
 * with CREATE TABLE ... LIKE. Both projectors' versions moved, so they are rebuilt; until then the
 * live rows are given what the rebuild would give them for Stripe-only history (groups stamped like
 * their snapshot, a subscription's Stripe id), so the new rules hold on them at once.
 */
export class PlatformRecords1764000000800 implements MigrationInterface {
  name = 'PlatformRecords1764000000800';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE customers ${stamps('profile', 'link')}`);
    await db.query(`UPDATE customers SET profile_created = snapshot_created, profile_position = snapshot_position,
      link_created = snapshot_created, link_position = snapshot_position`);
    await db.query(`ALTER TABLE subscriptions
      ADD COLUMN stripe_id text,
      ADD COLUMN customer_id text,
      ADD COLUMN replaces_subscription_id text,
      ADD COLUMN shipping_address jsonb,
      ADD COLUMN cancellation_requested jsonb,
      ${stamps('provisional', 'gift', 'shipments', 'shipping', 'cancellation')}`);
    await db.query(`UPDATE subscriptions SET stripe_id = id,
      gift_created = snapshot_created, gift_position = snapshot_position,
      shipments_created = snapshot_created, shipments_position = snapshot_position,
      shipping_created = snapshot_created, shipping_position = snapshot_position`);
    await db.query(`CREATE INDEX subscriptions_stripe_id_idx ON subscriptions (stripe_id)`);
    await db.query(`CREATE INDEX subscriptions_customer_id_idx ON subscriptions (customer_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX subscriptions_customer_id_idx`);
    await db.query(`DROP INDEX subscriptions_stripe_id_idx`);
    await db.query(`ALTER TABLE subscriptions
      DROP COLUMN stripe_id, DROP COLUMN customer_id, DROP COLUMN replaces_subscription_id,
      DROP COLUMN shipping_address, DROP COLUMN cancellation_requested,
      ${['provisional', 'gift', 'shipments', 'shipping', 'cancellation']
        .flatMap((p) => [`DROP COLUMN ${p}_created`, `DROP COLUMN ${p}_position`])
        .join(', ')}`);
    await db.query(
      `ALTER TABLE customers DROP COLUMN profile_created, DROP COLUMN profile_position, DROP COLUMN link_created, DROP COLUMN link_position`,
    );
  }
}
