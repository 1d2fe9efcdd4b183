import type { DataSource } from 'typeorm';
import { type Page, type Paged, paged } from '../shared/paging';

/** A recurring price (or legacy plan) a subscription can be started on or changed to. */
export interface PriceOption {
  id: string;
  object: 'price' | 'plan';
  productId: string | null;
  productName: string | null;
  nickname: string | null;
  currency: string | null;
  unitAmount: number | null;
  interval: string | null;
  intervalCount: number | null;
  /** The trial a subscription on this price gets when the start names none. */
  trialPeriodDays: number | null;
}

export interface CouponOption {
  id: string;
  name: string | null;
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  duration: string | null;
  durationInMonths: number | null;
  timesRedeemed: number | null;
  maxRedemptions: number | null;
  redeemBy: string | null;
}

/**
 * The recurring prices and legacy plans that can be subscribed to now (active, not deleted), with
 * their product's name, by product then amount. A plan that Stripe also shows as a price (same id)
 * is listed once, as the price. The trial is the price's `recurring.trial_period_days`, which
 * the start command reads too (from the price's snapshot).
 */
export async function listPrices(dataSource: DataSource, page: Page): Promise<Paged<PriceOption>> {
  return paged(
    page,
    (limit, offset) =>
      dataSource.query(
        `SELECT * FROM (
            SELECT p.id, 'price' AS object, p.product_id, pr.name AS product_name, p.nickname, p.currency,
                   p.unit_amount, p.interval, p.interval_count, p.trial_period_days
              FROM prices p
              LEFT JOIN products pr ON pr.id = p.product_id
             WHERE NOT p.deleted AND p.active IS NOT FALSE AND p.interval IS NOT NULL
            UNION ALL
            SELECT l.id, 'plan', l.product_id, pr.name, l.nickname, l.currency,
                   l.amount, l.interval, l.interval_count, l.trial_period_days
              FROM plans l
              LEFT JOIN products pr ON pr.id = l.product_id
             WHERE NOT l.deleted AND l.active IS NOT FALSE AND l.id NOT IN (SELECT id FROM prices)
          ) catalog
          ORDER BY product_name NULLS LAST, product_id, unit_amount NULLS LAST, id
          LIMIT $1 OFFSET $2`,
        [limit, offset],
      ),
    (row: Record<string, unknown>): PriceOption => ({
      id: row.id as string,
      object: row.object as PriceOption['object'],
      productId: (row.product_id as string | null) ?? null,
      productName: (row.product_name as string | null) ?? null,
      nickname: (row.nickname as string | null) ?? null,
      currency: (row.currency as string | null) ?? null,
      unitAmount: numberOrNull(row.unit_amount),
      interval: (row.interval as string | null) ?? null,
      intervalCount: numberOrNull(row.interval_count),
      trialPeriodDays: numberOrNull(row.trial_period_days),
    }),
  );
}

/** Coupons that can still be redeemed (valid, not deleted), newest first. */
export async function listCoupons(dataSource: DataSource, page: Page): Promise<Paged<CouponOption>> {
  return paged(
    page,
    (limit, offset) =>
      dataSource.query(
        `SELECT * FROM coupons WHERE NOT deleted AND valid IS NOT FALSE
          ORDER BY stripe_created DESC NULLS LAST, id LIMIT $1 OFFSET $2`,
        [limit, offset],
      ),
    (row: Record<string, unknown>): CouponOption => ({
      id: row.id as string,
      name: (row.name as string | null) ?? null,
      percentOff: numberOrNull(row.percent_off),
      amountOff: numberOrNull(row.amount_off),
      currency: (row.currency as string | null) ?? null,
      duration: (row.duration as string | null) ?? null,
      durationInMonths: numberOrNull(row.duration_in_months),
      timesRedeemed: numberOrNull(row.times_redeemed),
      maxRedemptions: numberOrNull(row.max_redemptions),
      redeemBy: row.redeem_by instanceof Date ? row.redeem_by.toISOString() : null,
    }),
  );
}

/** pg answers bigint and numeric as text; catalogue amounts are far below 2^53. */
function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}
