/** The Stripe JSON readers live with the normalisers in libs/events; the read models read through them. */
import { num, obj, str } from '@ledgerline/events';

export { bool, type Json, listData, num, obj, str, time } from '@ledgerline/events';

/** A Stripe object's metadata: string keys and values. */
export type StripeMetadata = Record<string, string>;

/** Only what support may see of a card: brand, last4 and expiry. Never the fingerprint or number. */
export interface CardSummary {
  brand: string | null;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
  funding: string | null;
  country: string | null;
}

export function cardSummary(card: unknown): CardSummary | null {
  const c = obj(card);
  if (!c) return null;
  return {
    brand: str(c.brand) ?? str(c.display_brand),
    last4: str(c.last4),
    expMonth: num(c.exp_month),
    expYear: num(c.exp_year),
    funding: str(c.funding),
    country: str(c.country),
  };
}
