/**
 * The event type an object imported by a backfill is stored as: what Stripe's own event types about
 * that object start with, then `.backfilled` (a subscription's are `customer.subscription.*`, a
 * dispute's `charge.dispute.*`). Every consumer names the ones it reads in its `handles`, like any
 * other type (decision 0021). Never a type Stripe sends.
 */
export const BACKFILLED_EVENT_TYPE: Readonly<Record<string, string>> = {
  customer: 'customer.backfilled',
  product: 'product.backfilled',
  price: 'price.backfilled',
  plan: 'plan.backfilled',
  coupon: 'coupon.backfilled',
  subscription: 'customer.subscription.backfilled',
  invoice: 'invoice.backfilled',
  charge: 'charge.backfilled',
  refund: 'refund.backfilled',
  dispute: 'charge.dispute.backfilled',
  payment_method: 'payment_method.backfilled',
  balance_transaction: 'balance_transaction.backfilled',
};
