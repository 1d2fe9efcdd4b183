import type { DataSource } from 'typeorm';
import { ENTITLING_STATUSES } from '@ledgerline/events';
import { grantKey, linkedPlatformProducts } from '../product-links/product-links.query';
import type { CustomerRef } from '../shared/paging';

export interface EventRef {
  at: string;
  stripeEventId: string | null;
  storeEventId: string | null;
}

export interface AccessView {
  productId: string;
  source: 'subscription' | 'purchase';
  sourceId: string;
  active: boolean;
  granted: EventRef;
  revoked: EventRef | null;
  /** When access ends on its own: the period end of a subscription cancelled at period end. */
  endsAt: string | null;
  /** The platform products linked to `productId` (in the subscription's or invoice's account). */
  platformProductIds: string[];
}

interface Observation {
  subscription_id: string;
  status: string | null;
  product_ids: string[] | null;
  cancel_at_period_end: boolean | null;
  current_period_end: Date | null;
  event_created: string;
  stripe_event_id: string;
  store_event_id: string;
}

/**
 * Which products a customer may use, and the events that granted and revoked each. Derived from the
 * subscription observations in event time order (any arrival order gives the same answer) and the
 * one-off purchases. A subscription cancelled at period end gives access until that period ends.
 */
export async function listCustomerAccess(
  dataSource: DataSource,
  customer: CustomerRef,
  now = new Date(),
): Promise<AccessView[]> {
  const observations: Observation[] = await dataSource.query(
    `SELECT subscription_id, status, product_ids, cancel_at_period_end, current_period_end, event_created,
            stripe_event_id, store_event_id
       FROM subscription_observations WHERE customer_stripe_id = ANY($1)
      ORDER BY subscription_id, event_created, event_position`,
    [customer.stripeIds],
  );
  const access: AccessView[] = [];
  const bySubscription = new Map<string, Observation[]>();
  for (const o of observations)
    bySubscription.set(o.subscription_id, [...(bySubscription.get(o.subscription_id) ?? []), o]);
  for (const [subscriptionId, list] of bySubscription) access.push(...subscriptionAccess(subscriptionId, list, now));
  const purchases: {
    invoice_id: string;
    product_id: string;
    purchased_at: Date;
    stripe_event_id: string;
    store_event_id: string;
  }[] = await dataSource.query(
    `SELECT invoice_id, product_id, purchased_at, stripe_event_id, store_event_id FROM purchases
        WHERE customer_stripe_id = ANY($1) ORDER BY purchased_at, invoice_id, product_id`,
    [customer.stripeIds],
  );
  for (const p of purchases) {
    access.push({
      productId: p.product_id,
      source: 'purchase',
      sourceId: p.invoice_id,
      active: true,
      granted: { at: p.purchased_at.toISOString(), stripeEventId: p.stripe_event_id, storeEventId: p.store_event_id },
      revoked: null,
      endsAt: null,
      platformProductIds: [],
    });
  }
  const linked = await linkedPlatformProducts(dataSource, access);
  for (const view of access) view.platformProductIds = linked.get(grantKey(view)) ?? [];
  return access.sort((a, b) => Number(b.active) - Number(a.active) || a.productId.localeCompare(b.productId));
}

/** Walks one subscription's observations: a product is granted when first entitled, revoked when no longer. */
function subscriptionAccess(subscriptionId: string, observations: Observation[], now: Date): AccessView[] {
  const held = new Map<string, AccessView>();
  for (const o of observations) {
    const entitled = new Set(o.status && ENTITLING_STATUSES.has(o.status) ? (o.product_ids ?? []) : []);
    const ref: EventRef = {
      at: new Date(Number(o.event_created) * 1000).toISOString(),
      stripeEventId: o.stripe_event_id,
      storeEventId: o.store_event_id,
    };
    for (const productId of entitled) {
      const current = held.get(productId);
      if (!current || !current.active) {
        held.set(productId, {
          productId,
          source: 'subscription',
          sourceId: subscriptionId,
          active: true,
          granted: ref,
          revoked: null,
          endsAt: null,
          platformProductIds: [],
        });
      }
    }
    for (const view of held.values()) {
      if (view.active && !entitled.has(view.productId))
        Object.assign(view, { active: false, revoked: ref, endsAt: null });
      else if (view.active)
        view.endsAt = o.cancel_at_period_end && o.current_period_end ? o.current_period_end.toISOString() : null;
    }
  }
  // Cancelled at period end and the period is over, though Stripe's final event has not come (yet).
  for (const view of held.values()) {
    if (view.active && view.endsAt && new Date(view.endsAt) <= now) {
      Object.assign(view, { active: false, revoked: { at: view.endsAt, stripeEventId: null, storeEventId: null } });
    }
  }
  return [...held.values()];
}
