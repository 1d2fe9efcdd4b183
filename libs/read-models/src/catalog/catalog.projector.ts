import { StripeSnapshotProjector } from '../shared/stripe-snapshot-projector';
import { couponsTable, plansTable, pricesTable, productsTable, taxRatesTable } from './catalog.tables';

/** Products, prices, plans, coupons and tax rates. */
export function catalogProjector(): StripeSnapshotProjector {
  return new StripeSnapshotProjector({
    name: 'catalog',
    version: 2,
    eventTypePrefixes: ['product.', 'price.', 'plan.', 'coupon.', 'tax_rate.'],
    snapshots: [productsTable, pricesTable, plansTable, couponsTable, taxRatesTable],
  });
}
