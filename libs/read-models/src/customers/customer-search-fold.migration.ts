import type { MigrationInterface, QueryRunner } from 'typeorm';
import { searchTextSql } from './customers.table';

/**
 * The customers' search text is folded (accents, ø, æ, ß, ...: shared/search-fold.ts) since issue 28;
 * the rows written before are recomputed from their own columns, as the projector now writes them.
 */
export class CustomerSearchFold1764000002900 implements MigrationInterface {
  name = 'CustomerSearchFold1764000002900';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE customers SET search_text = ${searchTextSql((column) => `customers.${column}`)}`);
  }

  async down(): Promise<void> {
    // The folded text finds everything the lower-case one did: nothing to undo.
  }
}
