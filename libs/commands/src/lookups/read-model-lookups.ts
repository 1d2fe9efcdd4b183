import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  findCustomer,
  findPayment,
  findStripeObject,
  findSubscription,
  type PaymentView,
  type SubscriptionView,
} from '@ledgerline/read-models';

import type { PricedItem } from '@ledgerline/events';

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
  constructor(private readonly dataSource: DataSource) {}

  /** A price (`price_`) or legacy plan (`plan_` or any plan id) from the latest Stripe snapshot. */
  async price(id: string): Promise<CatalogPrice | null> {
    const found = await findStripeObject(this.dataSource, id);
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
    const found = await findStripeObject(this.dataSource, id);
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
}

function numberOr(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
