import type { DataSource } from 'typeorm';
import { isUuid } from '@ledgerline/event-store';
import { containsPattern, type RowView, rowView } from '../shared/row-view';
import { searchWords } from '../shared/search-fold';
import type { StripeMetadata } from '../shared/stripe-values';
import { type AddressView, customersColumns } from './customers.table';

/** A customer's record: the platform's own details and what Stripe knows, one row per platform customer. */
export type CustomerView = RowView<
  typeof customersColumns,
  { stripeIds: string[]; addresses: AddressView[]; metadata: StripeMetadata | null }
>;

/** A customer by platform id (uuid) or by any linked Stripe id (`cus_...`); null when unknown. */
export async function findCustomer(dataSource: DataSource, id: string): Promise<CustomerView | null> {
  const rows: Record<string, unknown>[] = isUuid(id)
    ? await dataSource.query(`SELECT * FROM customers WHERE id = $1`, [id.toLowerCase()])
    : await dataSource.query(`SELECT * FROM customers WHERE stripe_ids @> ARRAY[$1::text]`, [id]);
  const row = rows[0];
  return row ? customerView(row) : null;
}

/**
 * The WHERE clause matching customers for a search text (also used by the subscription search):
 * every word of it, in any order, folded like the stored text (searchWords: accents, ø, æ, ß, and
 * Chinese or Japanese character by character); a phone number as written or as digits only; or the
 * customer's platform id (uuid) or one of its Stripe ids (`cus_...`), exactly. `%` and `_` are literal.
 */
export function customerMatch(
  q: string | undefined,
  alias: string,
  firstParam = 1,
): { where: string; params: string[] } {
  const text = q?.trim();
  if (!text) return { where: '', params: [] };
  const params: string[] = [];
  const param = (value: string) => `$${firstParam + params.push(value) - 1}`;
  const alternatives: string[] = [];
  const digits = text.replace(/\D/g, '');
  const phoneLike = /^[\d\s()+.\-/]+$/.test(text) && digits.length >= 3 && digits !== text;
  if (phoneLike) {
    alternatives.push(`${alias}.search_text LIKE ${param(containsPattern(text.toLowerCase()))}`);
    alternatives.push(`${alias}.search_text LIKE ${param(containsPattern(digits))}`);
  } else {
    const words = searchWords(text);
    if (words.length > 0) {
      alternatives.push(
        `(${words.map((word) => `${alias}.search_text LIKE ${param(containsPattern(word))}`).join(' AND ')})`,
      );
    }
  }
  if (isUuid(text)) alternatives.push(`${alias}.id = ${param(text.toLowerCase())}`);
  if (/^cus_[A-Za-z0-9_]+$/.test(text)) alternatives.push(`${alias}.stripe_ids @> ARRAY[${param(text)}::text]`);
  if (alternatives.length === 0) return { where: 'WHERE false', params: [] };
  return { where: `WHERE (${alternatives.join(' OR ')})`, params };
}

/** A customers row (or a folded one, see history/) as the API shows it. */
export function customerView(row: Record<string, unknown>): CustomerView {
  const view = rowView(row, customersColumns);
  // jsonb as the projector writes it (customers.table.ts).
  return {
    ...view,
    stripeIds: view.stripeIds ?? [],
    addresses: (view.addresses as AddressView[] | null) ?? [],
    metadata: view.metadata as StripeMetadata | null,
  };
}
