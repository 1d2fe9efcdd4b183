import type { RecordedEvent } from '@ledgerline/event-store';
import { stripeAccountOf, type StripeMoneyFact, stripeMoneyFactsOf } from './money-facts';

/**
 * The version of moneyDigestOf. Digests are kept between runs (MoneyDigests), so any change to what
 * it returns for some event must bump this: kept digests of another version are never read. The
 * money-digest spec pins a hash of the digests of every fixture per version and fails until it is.
 */
export const MONEY_DIGEST_VERSION = 1;

/** A platform refund request as its event told it (the Stripe refund it became is linked apart). */
export interface RefundRequestDigest {
  requestId: string;
  chargeId: string | null;
  paymentIntentId: string | null;
  amount: number;
  currency: string;
  /** When the platform asked (Unix seconds): the command's time. */
  requestedAt: number;
}

/**
 * All a reconciliation needs of one money event: its money facts and what places and orders them.
 * A pure function of the event, so it can be kept and read instead of the event's whole body.
 */
export interface MoneyDigest {
  position: bigint;
  eventId: string;
  /** A platform command (refund requests and links) rather than a Stripe (or backfilled) object. */
  platform: boolean;
  /** The Connect account of a Stripe event (null: the platform account). */
  account: string | null;
  /** The Stripe event's `created` (0 when absent): the order of snapshots. */
  created: number;
  facts: StripeMoneyFact[];
  request?: RefundRequestDigest;
  link?: { requestId: string; stripeRefundId: string };
}

/**
 * The digest of a money event, or null when it tells a reconciliation nothing: no money facts,
 * no refund request or link, and the platform account (which every run lists anyway).
 */
export function moneyDigestOf(event: RecordedEvent): MoneyDigest | null {
  const base = { position: event.position, eventId: event.id, facts: [] as StripeMoneyFact[] };
  if (event.metadata.source === 'platform') {
    const data = event.data as Record<string, unknown>;
    const requestId = typeof data.refundRequestId === 'string' ? data.refundRequestId : null;
    if (!requestId) return null;
    const digest: MoneyDigest = { ...base, platform: true, account: null, created: 0 };
    if (event.type === 'RefundRequested') {
      digest.request = {
        requestId,
        chargeId: typeof data.chargeId === 'string' ? data.chargeId : null,
        paymentIntentId: typeof data.paymentIntentId === 'string' ? data.paymentIntentId : null,
        amount: Number(data.amount),
        currency: String(data.currency),
        requestedAt: Math.floor(Date.parse(event.metadata.occurredAt ?? event.metadata.recordedAt) / 1000),
      };
      return digest;
    }
    if (event.type === 'RefundLinkedToStripe') {
      digest.link = { requestId, stripeRefundId: String(data.stripeRefundId) };
      return digest;
    }
    return null;
  }
  const created = (event.data as { created?: unknown }).created;
  const account = stripeAccountOf(event);
  const facts = stripeMoneyFactsOf(event);
  if (facts.length === 0 && account === null) return null;
  return { ...base, platform: false, account, created: typeof created === 'number' ? created : 0, facts };
}

/** A digest as kept (as JSON): everything but the position, which has its own column. */
export function keptForm(digest: MoneyDigest | null): Omit<MoneyDigest, 'position'> | null {
  if (!digest) return null;
  const { position: _position, ...rest } = digest;
  return rest;
}

export function parseDigest(position: bigint, text: string): MoneyDigest {
  return { ...(JSON.parse(text) as Omit<MoneyDigest, 'position'>), position };
}
