import type { DataSource } from 'typeorm';
import type { DiscountView } from './subscriptions.table';

type Coupon = NonNullable<DiscountView['coupon']>;

/**
 * The catalog's coupon for the subscription's discount, as one json column (`catalog_coupon`): the
 * coupon Stripe named, else the one the platform started the subscription with. Joined when read,
 * so a coupon renamed later shows its new name, and the projector keeps only the coupon's id.
 */
export const CATALOG_COUPON_COLUMN = `CASE WHEN co.id IS NULL THEN NULL ELSE json_build_object(
  'id', co.id, 'name', co.name, 'percentOff', co.percent_off, 'amountOff', co.amount_off,
  'currency', co.currency, 'duration', co.duration, 'durationInMonths', co.duration_in_months) END AS catalog_coupon`;
export const CATALOG_COUPON_JOIN = `LEFT JOIN coupons co ON co.id = COALESCE(s.discount->'coupon'->>'id', s.start_coupon_id)`;

/** The same catalog coupon for a record folded outside the table (time travel: records-as-of.ts). */
export async function catalogCouponOf(
  dataSource: DataSource,
  record: { discount?: unknown; start_coupon_id?: unknown },
): Promise<Coupon | null> {
  const rows: { catalog_coupon: Coupon | null }[] = await dataSource.query(
    `SELECT ${CATALOG_COUPON_COLUMN} FROM (SELECT $1::jsonb AS discount, $2::text AS start_coupon_id) s ${CATALOG_COUPON_JOIN}`,
    [JSON.stringify(record.discount ?? null), record.start_coupon_id ?? null],
  );
  return rows[0]?.catalog_coupon ?? null;
}

/**
 * The discount as support should read it. Stripe's subscription events carry discount ids only
 * (`discounts: ['di_…']`, not expanded), so a discount without its coupon's terms takes them from
 * the catalog, for the coupon Stripe named or else the one the platform started the subscription
 * with (the platform sets a discount at the start only). A pending subscription shows the coupon
 * it was started with, as it shows its price, before Stripe has it. A coupon known nowhere leaves
 * the discount as Stripe sent it: its id.
 */
export function discountWithCoupon(
  discount: DiscountView | null,
  subscription: { status: string | null; startCouponId: string | null },
  catalogCoupon: Coupon | null,
): DiscountView | null {
  if (discount?.coupon && hasTerms(discount.coupon)) return discount;
  const asked = subscription.status === 'pending' ? { id: null, coupon: null } : null;
  const base = discount ?? (subscription.startCouponId ? asked : null);
  const couponId = base?.coupon?.id ?? subscription.startCouponId;
  if (!base || !couponId) return discount;
  return { ...base, coupon: catalogCoupon?.id === couponId ? catalogCoupon : { id: couponId } };
}

function hasTerms(coupon: Coupon): boolean {
  return [coupon.name, coupon.percentOff, coupon.amountOff].some((value) => value !== null && value !== undefined);
}
