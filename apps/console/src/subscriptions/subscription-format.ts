import type { Schemas } from '../api/api-schemas';
import type { SubscriptionItem } from '../api/api-shapes';
import { formatDate, formatMoney } from '../ui/format';
import type { PriceOption, SubscriptionRow } from './subscription-types';

/** What a price and a subscription item both say of the price. */
type Priced = Pick<PriceOption, 'unitAmount' | 'currency' | 'interval' | 'intervalCount'>;

/** `$25.00 / month`, `$60.00 every 3 months`; the amount alone for a one-time price. */
export function priceLabel(price: Priced): string {
  const amount = formatMoney(price.unitAmount, price.currency);
  if (!price.interval) return amount;
  const count = price.intervalCount ?? 1;
  return count === 1 ? `${amount} / ${price.interval}` : `${amount} every ${count} ${price.interval}s`;
}

/** How a price is offered in a select: product, nickname, amount and trial. */
export function priceOptionLabel(price: PriceOption): string {
  const name = [price.productName ?? price.productId, price.nickname].filter(Boolean).join(' · ') || price.id;
  const trial = price.trialPeriodDays ? ` (${price.trialPeriodDays}-day trial)` : '';
  return `${name}: ${priceLabel(price)}${trial}`;
}

/** A subscription discount's coupon (only its id while Stripe sent no more); a catalog coupon is one too. */
type CouponLike = NonNullable<Schemas['DiscountView']['coupon']>;

/** `Welcome (WELCOME10): 10% off for 3 months`, `FIVER: $5.00 off on one invoice`. */
export function couponLabel(coupon: CouponLike): string {
  const off =
    coupon.percentOff !== null && coupon.percentOff !== undefined
      ? `${coupon.percentOff}% off`
      : coupon.amountOff !== null && coupon.amountOff !== undefined
        ? `${formatMoney(coupon.amountOff, coupon.currency)} off`
        : null;
  const id = coupon.id ?? 'coupon';
  const name = coupon.name && coupon.name !== id ? `${coupon.name} (${id})` : id;
  const terms = [off && !name.includes(off) ? off : null, durationLabel(coupon)].filter(Boolean).join(' ');
  return terms ? `${name}: ${terms}` : name;
}

/** How long the coupon applies, in Stripe's three durations (the months only when known). */
function durationLabel(coupon: CouponLike): string | null {
  const months = coupon.durationInMonths;
  switch (coupon.duration) {
    case 'once':
      return 'on one invoice';
    case 'forever':
      return 'forever';
    case 'repeating':
      return months ? `for ${months} month${months === 1 ? '' : 's'}` : 'for several months';
    default:
      return coupon.duration ?? null;
  }
}

/** Stripe product id → name, from the catalog (subscription items carry only the id). */
export type ProductNames = ReadonlyMap<string, string>;

/** An item as support reads it: what, at which price, how many. */
export function itemLabel(item: SubscriptionItem, products: ProductNames = new Map()): string {
  const product = item.productId ? products.get(item.productId) : undefined;
  const what = [product, item.nickname].filter(Boolean).join(' · ') || item.productId || item.priceId || 'item';
  const quantity = item.quantity && item.quantity !== 1 ? ` × ${item.quantity}` : '';
  return `${what}: ${priceLabel(item)}${quantity}`;
}

/** The period from the subscription, else from its first item (newer Stripe APIs keep it there). */
export function currentPeriod(subscription: SubscriptionRow): { start: string | null; end: string | null } {
  const first = subscription.items?.[0];
  return {
    start: subscription.currentPeriodStart ?? first?.currentPeriodStart ?? null,
    end: subscription.currentPeriodEnd ?? first?.currentPeriodEnd ?? null,
  };
}

/** Stripe's collection method in the platform's terms (offline travels in metadata). */
export function collectionLabel(subscription: SubscriptionRow): string {
  if (subscription.metadata?.ledgerline_payment === 'offline') return 'Offline (invoices settled outside Stripe)';
  if (subscription.collectionMethod === 'charge_automatically') return 'Card on file (charged automatically)';
  if (subscription.collectionMethod === 'send_invoice') return 'Invoice sent to the customer';
  return subscription.collectionMethod ?? '—';
}

export function periodLabel(start: string | null, end: string | null): string {
  if (!start && !end) return '—';
  return `${formatDate(start)} – ${formatDate(end)}`;
}

/** Customer name, else email, else id: what identifies the customer on a row. */
export function customerName(customer: { id: string; name?: string | null; email?: string | null } | null) {
  if (!customer) return null;
  return customer.name || customer.email || customer.id;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ENDED_STATUSES = ['canceled', 'incomplete_expired'];

/**
 * The status support should read: "replaced" for a subscription a plan change replaced (Stripe may
 * still call it active until it ends it), else Stripe's status.
 */
export function shownStatus(
  subscription: Pick<SubscriptionRow, 'status' | 'cancellationRequested'> & { replacedBy?: string | null },
): string | null {
  const replaced = Boolean(subscription.replacedBy) || subscription.cancellationRequested?.reason === 'plan_change';
  if (replaced && !(subscription.status && ENDED_STATUSES.includes(subscription.status))) return 'replaced';
  return subscription.status;
}
