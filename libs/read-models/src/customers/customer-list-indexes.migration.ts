import type { MigrationInterface, QueryRunner } from 'typeorm';
import { NAME_INDEX_PREFIX } from './customer-name-index.migration';

/**
 * The customer list's sorts and filters (issue 28, customer-list.query.ts). Customers without a
 * name come last in both directions, which a backward read of the name index cannot give: the
 * second click on the Name column would sort every customer (2.6 s for a million). Delinquent
 * customers are few: the list of them read the name index past every other customer, and their
 * count every row. Other sorts are not indexed: they sort the matches, which a search or a filter
 * keeps few. Rebuilds copy the indexes with the table (CREATE TABLE ... LIKE ... INCLUDING ALL).
 */
export class CustomerListIndexes1764000003200 implements MigrationInterface {
  name = 'CustomerListIndexes1764000003200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX customers_name_desc_idx ON customers (left(name, ${NAME_INDEX_PREFIX}) DESC NULLS LAST, id DESC)`,
    );
    await db.query(
      `CREATE INDEX customers_delinquent_idx ON customers (left(name, ${NAME_INDEX_PREFIX}), id) WHERE delinquent AND NOT deleted`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS customers_delinquent_idx`);
    await db.query(`DROP INDEX IF EXISTS customers_name_desc_idx`);
  }
}
