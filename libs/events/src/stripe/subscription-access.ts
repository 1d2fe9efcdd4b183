import { listData, obj, refId, type Json } from './stripe-json';

/** Statuses in which a subscription gives access (past_due: Stripe is still retrying the payment). */
export const ENTITLING_STATUSES = new Set(['trialing', 'active', 'past_due']);

/** The product a subscription item is for: its price's, or on old API versions its plan's. */
export function itemProductId(item: Json): string | null {
  return refId(obj(item.price)?.product) ?? refId(obj(item.plan)?.product);
}

/** The products a subscription's items are for, each once, sorted. */
export function subscriptionProductIds(subscription: Json): string[] {
  const ids = listData(subscription.items).map(itemProductId);
  return [...new Set(ids.filter((id): id is string => id !== null))].sort();
}
