import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The product_links read model (docs/products.md): one row per platform product ever linked to a
 * Stripe product. Plain columns only: a rebuild copies the table with CREATE TABLE ... LIKE.
 */
export class ProductLinks1764000001800 implements MigrationInterface {
  name = 'ProductLinks1764000001800';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE product_links (
        product_id text PRIMARY KEY,
        stripe_product_id text,
        account text,
        linked_at timestamptz,
        linked_by text,
        unlinked_at timestamptz,
        unlinked_by text,
        last_event_id uuid NOT NULL,
        last_event_position bigint NOT NULL
      )`);
    // Which platform product a Stripe product is linked to: the link command's check, and access.
    await db.query(`CREATE INDEX product_links_stripe_product_idx ON product_links (stripe_product_id, account)`);
    // Subscriptions that give access to a Stripe product: the link's 409 check and the counts of GET /products.
    await db.query(`CREATE INDEX subscriptions_product_ids_idx ON subscriptions USING gin (product_ids)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS subscriptions_product_ids_idx`);
    await db.query(`DROP TABLE product_links`);
  }
}
