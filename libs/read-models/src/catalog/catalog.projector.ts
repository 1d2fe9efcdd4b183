import { StripeSnapshotProjector } from '../shared/stripe-snapshot-projector';
import { couponsTable, plansTable, pricesTable, productsTable, taxRatesTable } from './catalog.tables';

/** Products, prices, plans, coupons and tax rates. */
export function catalogProjector(): StripeSnapshotProjector {
  return new StripeSnapshotProjector({
    name: 'catalog',
    version: 2,
    handles: [
      'product.created',
      'product.updated',
      'product.deleted',
      'product.backfilled',
      'price.created',
      'price.updated',
      'price.deleted',
      'price.backfilled',
      'plan.created',
      'plan.updated',
      'plan.deleted',
      'plan.backfilled',
      'coupon.created',
      'coupon.updated',
      'coupon.deleted',
      'coupon.backfilled',
      'tax_rate.created',
      'tax_rate.updated',
    ],
    snapshots: [productsTable, pricesTable, plansTable, couponsTable, taxRatesTable],
  });
}
