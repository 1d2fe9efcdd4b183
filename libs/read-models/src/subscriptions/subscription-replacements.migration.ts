import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The subscription page names the subscription that replaced one in a plan change: found by
 * `replaces_subscription_id`, which this index keeps a lookup rather than a scan. Rebuilds copy
 * it with the table (CREATE TABLE ... LIKE ... INCLUDING ALL).
 */
export class SubscriptionReplacements1764000001900 implements MigrationInterface {
  name = 'SubscriptionReplacements1764000001900';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX subscriptions_replaces_idx ON subscriptions (replaces_subscription_id)
        WHERE replaces_subscription_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX subscriptions_replaces_idx`);
  }
}
