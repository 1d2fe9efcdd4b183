import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Characters of a customer's name the name index holds (4 bytes each at most: far below btree's 2,704). */
export const NAME_INDEX_PREFIX = 256;

/**
 * The index the customer list is sorted by held whole names, and a B-tree entry must fit in a third
 * of a page: a Stripe customer named with a few thousand characters (Stripe passes on what its users
 * type) could not be written, and the customers projection parked its event (issue 26). The index
 * holds the first NAME_INDEX_PREFIX characters instead; the list sorts by them, then by the whole
 * name. Rebuilds copy it with the table (CREATE TABLE ... LIKE ... INCLUDING ALL).
 */
export class CustomerNamePrefixIndex1764000002700 implements MigrationInterface {
  name = 'CustomerNamePrefixIndex1764000002700';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS customers_name_idx`);
    await db.query(`CREATE INDEX customers_name_idx ON customers (left(name, ${NAME_INDEX_PREFIX}), id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS customers_name_idx`);
    await db.query(`CREATE INDEX customers_name_idx ON customers (name, id)`);
  }
}
