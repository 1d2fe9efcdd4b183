import type { SnapshotTable } from '../shared/snapshot-table';
import { refId } from '../shared/stripe-refs';
import { bool, num, obj, str, time } from '../shared/stripe-values';

/** Whole days, from a value Stripe (or a mock) may send as a number or a numeric string. */
function wholeDays(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : null;
  return typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : null;
}

export const productsTable: SnapshotTable = {
  table: 'products',
  objectTypes: ['product'],
  columns: [
    { name: 'name', type: 'text' },
    { name: 'description', type: 'text' },
    { name: 'active', type: 'boolean' },
    { name: 'type', type: 'text' },
    { name: 'default_price_id', type: 'text' },
    { name: 'metadata', type: 'jsonb' },
    { name: 'stripe_created', type: 'timestamptz' },
  ],
  toRow: (product) => ({
    name: str(product.name),
    description: str(product.description),
    active: bool(product.active),
    type: str(product.type),
    default_price_id: refId(product.default_price),
    metadata: obj(product.metadata) ?? {},
    stripe_created: time(product.created),
  }),
};

export const pricesTable: SnapshotTable = {
  table: 'prices',
  objectTypes: ['price'],
  columns: [
    { name: 'product_id', type: 'text' },
    { name: 'nickname', type: 'text' },
    { name: 'active', type: 'boolean' },
    { name: 'type', type: 'text' },
    { name: 'currency', type: 'text' },
    { name: 'unit_amount', type: 'bigint' },
    { name: 'billing_scheme', type: 'text' },
    { name: 'interval', type: 'text' },
    { name: 'interval_count', type: 'integer' },
    { name: 'lookup_key', type: 'text' },
    { name: 'trial_period_days', type: 'integer' },
    { name: 'stripe_created', type: 'timestamptz' },
  ],
  toRow: (price) => {
    const recurring = obj(price.recurring);
    return {
      product_id: refId(price.product),
      nickname: str(price.nickname),
      active: bool(price.active),
      type: str(price.type),
      currency: str(price.currency),
      unit_amount: num(price.unit_amount),
      billing_scheme: str(price.billing_scheme),
      interval: str(recurring?.interval),
      interval_count: num(recurring?.interval_count),
      lookup_key: str(price.lookup_key),
      trial_period_days: wholeDays(recurring?.trial_period_days),
      stripe_created: time(price.created),
    };
  },
};

export const plansTable: SnapshotTable = {
  table: 'plans',
  objectTypes: ['plan'],
  columns: [
    { name: 'product_id', type: 'text' },
    { name: 'nickname', type: 'text' },
    { name: 'active', type: 'boolean' },
    { name: 'currency', type: 'text' },
    { name: 'amount', type: 'bigint' },
    { name: 'interval', type: 'text' },
    { name: 'interval_count', type: 'integer' },
    { name: 'trial_period_days', type: 'integer' },
    { name: 'stripe_created', type: 'timestamptz' },
  ],
  toRow: (plan) => ({
    product_id: refId(plan.product),
    nickname: str(plan.nickname) ?? str(plan.name),
    active: bool(plan.active),
    currency: str(plan.currency),
    amount: num(plan.amount),
    interval: str(plan.interval),
    interval_count: num(plan.interval_count),
    trial_period_days: num(plan.trial_period_days),
    stripe_created: time(plan.created),
  }),
};

export const couponsTable: SnapshotTable = {
  table: 'coupons',
  objectTypes: ['coupon'],
  columns: [
    { name: 'name', type: 'text' },
    { name: 'percent_off', type: 'numeric' },
    { name: 'amount_off', type: 'bigint' },
    { name: 'currency', type: 'text' },
    { name: 'duration', type: 'text' },
    { name: 'duration_in_months', type: 'integer' },
    { name: 'valid', type: 'boolean' },
    { name: 'times_redeemed', type: 'integer' },
    { name: 'max_redemptions', type: 'integer' },
    { name: 'redeem_by', type: 'timestamptz' },
    { name: 'stripe_created', type: 'timestamptz' },
  ],
  toRow: (coupon) => ({
    name: str(coupon.name),
    percent_off: num(coupon.percent_off),
    amount_off: num(coupon.amount_off),
    currency: str(coupon.currency),
    duration: str(coupon.duration),
    duration_in_months: num(coupon.duration_in_months),
    valid: bool(coupon.valid),
    times_redeemed: num(coupon.times_redeemed),
    max_redemptions: num(coupon.max_redemptions),
    redeem_by: time(coupon.redeem_by),
    stripe_created: time(coupon.created),
  }),
};

export const taxRatesTable: SnapshotTable = {
  table: 'tax_rates',
  objectTypes: ['tax_rate'],
  columns: [
    { name: 'display_name', type: 'text' },
    { name: 'description', type: 'text' },
    { name: 'percentage', type: 'numeric' },
    { name: 'inclusive', type: 'boolean' },
    { name: 'active', type: 'boolean' },
    { name: 'country', type: 'text' },
    { name: 'state', type: 'text' },
    { name: 'jurisdiction', type: 'text' },
    { name: 'tax_type', type: 'text' },
    { name: 'stripe_created', type: 'timestamptz' },
  ],
  toRow: (rate) => ({
    display_name: str(rate.display_name),
    description: str(rate.description),
    percentage: num(rate.percentage),
    inclusive: bool(rate.inclusive),
    active: bool(rate.active),
    country: str(rate.country),
    state: str(rate.state),
    jurisdiction: str(rate.jurisdiction),
    tax_type: str(rate.tax_type),
    stripe_created: time(rate.created),
  }),
};
