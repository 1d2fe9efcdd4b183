import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The coupon the platform started a subscription with (issue 28): Stripe's subscription events name
 * only the discount (`discounts: ['di_…']`), so the record takes the coupon from the start command.
 * A plain column (rebuilds copy the table with CREATE TABLE ... LIKE); the subscriptions projector's
 * version moved to 3, so the rebuild fills it for subscriptions started before. Until then their
 * discount shows its id, as it did.
 */
export class SubscriptionStartCoupon1764000003000 implements MigrationInterface {
  name = 'SubscriptionStartCoupon1764000003000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE subscriptions ADD COLUMN start_coupon_id text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE subscriptions DROP COLUMN start_coupon_id`);
  }
}
