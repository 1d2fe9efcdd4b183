import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { ProjectionStore, waitForProjections } from '@ledgerline/projections';
import {
  type EntitledSubscriptions,
  findCustomer,
  findPayment,
  findStripeObject,
  findSubscription,
  type PaymentView,
  PRODUCT_LINKS_PROJECTION,
  productLinkedTo,
  type StripeProductRef,
  subscriptionsEntitledTo,
  type SubscriptionView,
} from '@ledgerline/read-models';

import { PRODUCT_STREAM_CATEGORY, type PricedItem } from '@ledgerline/events';

/** How long a product link waits for product_links to hold the links stored before it. */
const PRODUCT_LINKS_WAIT_MS = 2_000;

type Json = Record<string, unknown>;

export interface CatalogPrice {
  id: string;
  active: boolean;
  recurring: boolean;
  productId: string | null;
  unitAmount: number | null;
  currency: string;
  interval: string | null;
  intervalCount: number | null;
  trialPeriodDays: number | null;
}

/** The price as a subscription event records it. */
export function pricedItem(price: CatalogPrice): PricedItem {
  const { id: priceId, productId, unitAmount, currency, interval, intervalCount } = price;
  return { priceId, productId, unitAmount, currency, interval, intervalCount };
}

/**
 * What commands need to know beyond their own stream, read from the read models: the catalog, the
 * customer's cards, a subscription's period and payments. Decisions use it as of the moment they run.
 */
@Injectable()
export class ReadModelLookups {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** A price (`price_`) or legacy plan (`plan_` or any plan id) from the latest Stripe snapshot. */
  async price(id: string): Promise<CatalogPrice | null> {
    const found = await findStripeObject(this.dataSource, this.store, id);
    if (!found || found.deleted || !['price', 'plan'].includes(found.object)) return null;
    const data = found.data as Json;
    const recurring = (data.recurring as Json | null | undefined) ?? null;
    const isPlan = found.object === 'plan';
    const product = data.product;
    return {
      id,
      active: data.active !== false,
      recurring: isPlan || recurring !== null,
      productId: typeof product === 'string' ? product : (((product as Json | null)?.id as string | undefined) ?? null),
      unitAmount: numberOr(isPlan ? data.amount : data.unit_amount),
      currency: String(data.currency ?? ''),
      interval: (isPlan ? data.interval : recurring?.interval) as string | null,
      intervalCount: numberOr(isPlan ? data.interval_count : recurring?.interval_count),
      trialPeriodDays: numberOr(isPlan ? data.trial_period_days : recurring?.trial_period_days),
    };
  }

  /** A coupon that can still be redeemed: known, not deleted, `valid`. */
  async couponProblem(id: string): Promise<string | null> {
    const found = await findStripeObject(this.dataSource, this.store, id);
    if (!found || found.object !== 'coupon') return `couponId ${id} is not a known coupon`;
    if (found.deleted || (found.data as Json).valid === false) return `couponId ${id} can no longer be redeemed`;
    return null;
  }

  /** The card Stripe would charge: the customer's default payment method, else any card attached. */
  async cardOnFile(stripeCustomerIds: string[]): Promise<string | null> {
    if (!stripeCustomerIds.length) return null;
    const rows: { card: string | null }[] = await this.dataSource.query(
      `SELECT COALESCE(
          (SELECT default_payment_method FROM customers WHERE stripe_ids && $1::text[] AND default_payment_method IS NOT NULL LIMIT 1),
          (SELECT id FROM payment_methods WHERE customer_stripe_id = ANY($1) AND NOT deleted ORDER BY stripe_created DESC NULLS LAST LIMIT 1)
        ) AS card`,
      [stripeCustomerIds],
    );
    return rows[0]?.card ?? null;
  }

  /** The Stripe customer a card (payment method or source) belongs to, null when unknown. */
  async cardOwner(card: string): Promise<string | null> {
    const rows: { owner: string | null }[] = await this.dataSource.query(
      `SELECT customer_stripe_id AS owner FROM payment_methods WHERE id = $1 AND NOT deleted LIMIT 1`,
      [card],
    );
    return rows[0]?.owner ?? null;
  }

  subscription(id: string): Promise<SubscriptionView | null> {
    return findSubscription(this.dataSource, id);
  }

  /** What the customer paid for the subscription's current period: its newest paid invoice's amount. */
  async lastPaidAmount(stripeSubscriptionId: string): Promise<{ amount: number; currency: string } | null> {
    const rows: { amount_paid: string; currency: string }[] = await this.dataSource.query(
      `SELECT amount_paid, currency FROM invoices WHERE subscription_id = $1 AND status = 'paid'
        ORDER BY period_end DESC NULLS LAST, stripe_created DESC NULLS LAST LIMIT 1`,
      [stripeSubscriptionId],
    );
    return rows[0] ? { amount: Number(rows[0].amount_paid), currency: rows[0].currency } : null;
  }

  /** The platform customer a Stripe customer id belongs to. */
  async customerIdOf(stripeCustomerId: string | null): Promise<string | null> {
    return stripeCustomerId ? ((await findCustomer(this.dataSource, stripeCustomerId))?.id ?? null) : null;
  }

  payment(id: string): Promise<PaymentView | null> {
    return findPayment(this.dataSource, id);
  }

  /** Refunds Stripe holds for a charge or payment intent: their ids and amounts, failed ones excluded. */
  async stripeRefunds(paymentIds: string[]): Promise<{ id: string; amount: number }[]> {
    const rows: { id: string; amount: string }[] = await this.dataSource.query(
      `SELECT id, amount FROM refunds
        WHERE (charge_id = ANY($1) OR payment_intent_id = ANY($1)) AND COALESCE(status, '') NOT IN ('failed', 'canceled')`,
      [paymentIds],
    );
    return rows.map((row) => ({ id: row.id, amount: Number(row.amount) }));
  }

  /**
   * Waits, up to PRODUCT_LINKS_WAIT_MS, until product_links holds the newest product event stored,
   * so that a link made a moment ago is seen. A worker further behind than that is not waited for:
   * the checks are then as fresh as the read model.
   */
  async awaitProductLinks(): Promise<void> {
    const filter = { categories: [PRODUCT_STREAM_CATEGORY] };
    const [newest] = (await this.store.readAll({ direction: 'backwards', maxCount: 1, filter })).events;
    if (!newest) return;
    await waitForProjections(new ProjectionStore(this.dataSource), [PRODUCT_LINKS_PROJECTION], newest.position, {
      timeoutMs: PRODUCT_LINKS_WAIT_MS,
      pollMs: 25,
    });
  }

  /** The platform product other than `productId` a Stripe product is linked to (per product_links). */
  productLinkedTo(stripe: StripeProductRef, productId: string): Promise<string | null> {
    return productLinkedTo(this.dataSource, stripe, productId);
  }

  /** Subscriptions that give access to a Stripe product now (per the subscriptions read model). */
  subscriptionsEntitledTo(stripe: StripeProductRef): Promise<EntitledSubscriptions> {
    return subscriptionsEntitledTo(this.dataSource, stripe);
  }
}

function numberOr(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
