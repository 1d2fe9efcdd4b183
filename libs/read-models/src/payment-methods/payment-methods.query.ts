import type { DataSource } from 'typeorm';
import type { CustomerRef } from '../shared/paging';
import { type RowView, rowView } from '../shared/row-view';
import { paymentMethodsColumns } from './payment-methods.table';

/** A customer's payment method: only what support may see of a card, and whether it is running out. */
export type PaymentMethodView = RowView<typeof paymentMethodsColumns> & {
  isDefault: boolean;
  /** The first instant the card is no longer valid. */
  expiresAt: string | null;
  expired: boolean;
  expiringSoon: boolean;
};

const EXPIRING_WITHIN_DAYS = 30;

/**
 * A customer's attached payment methods, the default first. A card counts as valid through the
 * last day of its expiry month; `expiringSoon` flags those that run out within 30 days of `now`,
 * and always in their last month (as Stripe's `customer.source.expiring` does).
 */
export async function listCustomerPaymentMethods(
  dataSource: DataSource,
  customer: CustomerRef,
  defaultPaymentMethod: string | null,
  now = new Date(),
): Promise<PaymentMethodView[]> {
  const rows: Record<string, unknown>[] = await dataSource.query(
    `SELECT * FROM payment_methods WHERE customer_stripe_id = ANY($1) AND NOT deleted
      ORDER BY id = $2 DESC, stripe_created DESC NULLS LAST, id`,
    [customer.stripeIds, defaultPaymentMethod ?? ''],
  );
  return rows.map((row) => {
    const view = rowView(row, paymentMethodsColumns);
    const expiresAt = expiryOf(row.exp_month, row.exp_year);
    const window = now.getTime() + EXPIRING_WITHIN_DAYS * 86_400_000;
    const soon = new Date(Math.max(window, Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)));
    return {
      ...view,
      isDefault: row.id === defaultPaymentMethod,
      expiresAt: expiresAt?.toISOString() ?? null,
      expired: expiresAt !== null && expiresAt <= now,
      expiringSoon: expiresAt !== null && expiresAt > now && expiresAt <= soon,
    };
  });
}

/** The first instant after the card's expiry month (cards are valid through the month's last day). */
function expiryOf(month: unknown, year: unknown): Date | null {
  if (typeof month !== 'number' || typeof year !== 'number' || month < 1 || month > 12) return null;
  return new Date(Date.UTC(year, month, 1));
}
