import type { FormValue } from './form-body';
import { route, type Route, type RouteContext } from './routing';
import {
  int,
  invalidRequest,
  list,
  mergeMetadata,
  newId,
  nowSeconds,
  obj,
  ok,
  Refusal,
  resourceMissing,
  str,
  type StripeObject,
} from './stripe-objects';

const MONTH = 30 * 86400;

/** Coupons are not in the mock; subscriptions need them for `discounts[][coupon]`. */
export const couponRoutes: Route[] = [
  route('POST', '/v1/coupons', async ({ params, state }) => {
    const percentOff = params.percent_off === undefined ? null : Number(params.percent_off);
    const amountOff = int(params.amount_off) ?? null;
    if ((percentOff === null) === (amountOff === null)) {
      return invalidRequest('You must pass exactly one of percent_off or amount_off.');
    }
    if (amountOff !== null && !params.currency) return invalidRequest('You must pass currency with amount_off.');
    const id = str(params.id) ?? newId('coupon').slice(7, 15);
    if (state.coupons.has(id)) return invalidRequest('Coupon already exists.', { code: 'resource_already_exists' });
    const coupon: StripeObject = {
      id,
      object: 'coupon',
      amount_off: amountOff,
      created: nowSeconds(),
      currency: str(params.currency)?.toLowerCase() ?? null,
      duration: str(params.duration) ?? 'once',
      duration_in_months: int(params.duration_in_months) ?? null,
      livemode: false,
      max_redemptions: int(params.max_redemptions) ?? null,
      metadata: mergeMetadata({}, params.metadata),
      name: str(params.name) ?? null,
      percent_off: percentOff,
      redeem_by: int(params.redeem_by) ?? null,
      times_redeemed: 0,
      valid: true,
    };
    state.coupons.set(id, coupon);
    return ok(coupon);
  }),
  route('GET', '/v1/coupons/:id', async ({ ids: [id], state }) => {
    const coupon = state.coupons.get(id!);
    return coupon ? ok(coupon) : resourceMissing('coupon', id!, 'id');
  }),
  route('DELETE', '/v1/coupons/:id', async ({ ids: [id], state }) => {
    if (!state.coupons.delete(id!)) return resourceMissing('coupon', id!, 'id');
    return ok({ id, object: 'coupon', deleted: true });
  }),
];

/** Discount ids for a subscription's `discounts` param (`''` clears them). */
export function buildDiscounts(
  ctx: RouteContext,
  param: FormValue | undefined,
  subscriptionId: string,
  customerId: string,
): string[] {
  const ids: string[] = [];
  for (const entry of list(param)) {
    const existing = str(obj(entry)?.discount);
    if (existing && ctx.state.discounts.has(existing)) {
      ids.push(existing);
      continue;
    }
    const couponId = str(obj(entry)?.coupon);
    if (!couponId) throw new Refusal(invalidRequest('The Stripe test server supports discounts[][coupon] only.'));
    const coupon = ctx.state.coupons.get(couponId);
    if (!coupon) throw new Refusal(resourceMissing('coupon', couponId, 'discounts'));
    coupon.times_redeemed = Number(coupon.times_redeemed) + 1;
    const start = nowSeconds();
    const months = coupon.duration === 'repeating' ? Number(coupon.duration_in_months ?? 0) : null;
    const discount: StripeObject = {
      id: newId('di'),
      object: 'discount',
      checkout_session: null,
      customer: customerId,
      customer_account: null,
      end: months ? start + months * MONTH : null,
      invoice: null,
      invoice_item: null,
      promotion_code: null,
      source: { coupon: couponId, type: 'coupon' },
      start,
      subscription: subscriptionId,
      subscription_item: null,
    };
    ctx.state.discounts.set(discount.id, discount);
    ids.push(discount.id);
  }
  return ids;
}
