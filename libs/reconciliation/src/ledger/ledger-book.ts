import type { RecordedEvent } from '@ledgerline/event-store';
import { type StripeMoneyFact, stripeMoneyFactsOf } from './money-facts';

/** The ledger of one day (UTC), currency and Connect account (`null`: the platform account). */
export interface LedgerLine {
  day: string;
  currency: string;
  account: string | null;
  grossCharges: number;
  charges: number;
  refundsByPlatform: number;
  refundsByStripe: number;
  disputeWithdrawals: number;
  disputeReinstatements: number;
  /** Stripe's fees, where the events carry the balance transactions (expanded); see the report's fee source. */
  fees: number;
  /** gross − refunds − withdrawals + reinstatements − fees. */
  net: number;
  balanceCredits: number;
  balanceDebits: number;
  invoicesPaid: number;
  invoicesPaidAmount: number;
  invoicesPaidFromBalance: number;
}

/** A platform refund request and the Stripe refund it became, if the sync linked one. */
export interface RefundRequestFact {
  requestId: string;
  eventId: string;
  chargeId: string | null;
  paymentIntentId: string | null;
  amount: number;
  currency: string;
  stripeRefundId: string | null;
}

interface Held {
  fact: StripeMoneyFact;
  account: string | null;
  created: number;
  position: bigint;
  eventId: string;
}

/**
 * Folds the events of the store into money facts: for each Stripe object its newest snapshot
 * (`created`, then position: the read models' rule, so any arrival order gives the same book), for
 * each balance change its event, and the platform's refund requests. Deterministic: the ledger is a
 * function of the set of events folded.
 */
export class LedgerBook {
  private readonly facts = new Map<string, Held>();
  private readonly requests = new Map<string, RefundRequestFact>();
  private readonly links = new Map<string, string>();

  add(event: RecordedEvent): void {
    if (event.metadata.source === 'platform') return this.addPlatform(event);
    const payload = event.data as { created?: unknown; account?: unknown };
    const created = typeof payload.created === 'number' ? payload.created : 0;
    const account = typeof payload.account === 'string' ? payload.account : (event.metadata.stripeAccount ?? null);
    for (const fact of stripeMoneyFactsOf(event)) {
      const key = `${fact.kind}/${fact.id}`;
      const held = this.facts.get(key);
      const newer = !held || created > held.created || (created === held.created && event.position > held.position);
      const [kept, other] = newer ? [fact, held?.fact] : [held.fact, fact];
      const merged = withBalanceTransactionOf(kept, other);
      if (newer) this.facts.set(key, { fact: merged, account, created, position: event.position, eventId: event.id });
      else held.fact = merged;
    }
  }

  private addPlatform(event: RecordedEvent): void {
    const data = event.data as Record<string, unknown>;
    if (event.type === 'RefundRequested' && typeof data.refundRequestId === 'string') {
      this.requests.set(data.refundRequestId, {
        requestId: data.refundRequestId,
        eventId: event.id,
        chargeId: typeof data.chargeId === 'string' ? data.chargeId : null,
        paymentIntentId: typeof data.paymentIntentId === 'string' ? data.paymentIntentId : null,
        amount: Number(data.amount),
        currency: String(data.currency),
        stripeRefundId: null,
      });
    }
    if (event.type === 'RefundLinkedToStripe' && typeof data.refundRequestId === 'string') {
      this.links.set(data.refundRequestId, String(data.stripeRefundId));
    }
  }

  /** Every fact held, in a stable order (kind, id), with the event that last told it. */
  held(): (Held & { key: string })[] {
    return [...this.facts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, held]) => ({ key, ...held }));
  }

  refundRequests(): RefundRequestFact[] {
    return [...this.requests.values()]
      .map((request) => ({ ...request, stripeRefundId: this.links.get(request.requestId) ?? null }))
      .sort((a, b) => (a.requestId < b.requestId ? -1 : 1));
  }

  /** The ledger of days in [from, to) (Unix seconds), sorted by day, currency, account. */
  ledger(from: number, to: number): LedgerLine[] {
    const lines = new Map<string, LedgerLine>();
    const line = (at: number, currency: string, account: string | null): LedgerLine | null => {
      if (at < from || at >= to) return null;
      const day = new Date(at * 1000).toISOString().slice(0, 10);
      const key = `${day}|${currency}|${account ?? ''}`;
      let found = lines.get(key);
      if (!found) lines.set(key, (found = emptyLine(day, currency, account)));
      return found;
    };
    for (const { fact, account } of this.facts.values()) {
      switch (fact.kind) {
        case 'charge': {
          const l = fact.succeeded && fact.captured > 0 ? line(fact.created, fact.currency, account) : null;
          if (!l) break;
          l.grossCharges += fact.captured;
          l.charges += 1;
          l.fees += fact.balanceTransaction?.fee ?? 0;
          break;
        }
        case 'refund': {
          const l = fact.effective ? line(fact.created, fact.currency, account) : null;
          if (!l) break;
          if (fact.initiatedBy === 'platform') l.refundsByPlatform += fact.amount;
          else l.refundsByStripe += fact.amount;
          l.fees += fact.balanceTransaction?.fee ?? 0;
          break;
        }
        case 'dispute':
          for (const bt of fact.balanceTransactions) {
            const l =
              bt.amount === null ? null : line(bt.created ?? fact.created, bt.currency ?? fact.currency, account);
            if (!l) continue;
            if (bt.amount! < 0) l.disputeWithdrawals += -bt.amount!;
            else l.disputeReinstatements += bt.amount!;
            l.fees += bt.fee ?? 0;
          }
          break;
        case 'invoice': {
          const l = fact.paid ? line(fact.paidAt ?? 0, fact.currency, account) : null;
          if (!l) break;
          l.invoicesPaid += 1;
          l.invoicesPaidAmount += fact.amountPaid;
          l.invoicesPaidFromBalance += fact.paidFromBalance;
          break;
        }
        case 'balance_change': {
          const l = line(fact.created, fact.currency, account);
          if (!l) break;
          // A negative balance is credit the customer holds: a decrease credits them.
          if (fact.delta < 0) l.balanceCredits += -fact.delta;
          else l.balanceDebits += fact.delta;
          break;
        }
      }
    }
    for (const l of lines.values()) {
      l.net =
        l.grossCharges -
        l.refundsByPlatform -
        l.refundsByStripe -
        l.disputeWithdrawals +
        l.disputeReinstatements -
        l.fees;
    }
    return [...lines.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, l]) => l);
  }
}

/**
 * Stripe sends a charge or refund with its balance transaction expanded in some events and as a
 * bare id in others: the fee an older snapshot carried is kept when the newer names the same one.
 */
function withBalanceTransactionOf(kept: StripeMoneyFact, other: StripeMoneyFact | undefined): StripeMoneyFact {
  if (!other || (kept.kind !== 'charge' && kept.kind !== 'refund') || other.kind !== kept.kind) return kept;
  const mine = kept.balanceTransaction;
  const theirs = other.balanceTransaction;
  if (!theirs || theirs.fee === null || (mine && (mine.id !== theirs.id || mine.fee !== null))) return kept;
  return { ...kept, balanceTransaction: theirs };
}

function emptyLine(day: string, currency: string, account: string | null): LedgerLine {
  return {
    day,
    currency,
    account,
    grossCharges: 0,
    charges: 0,
    refundsByPlatform: 0,
    refundsByStripe: 0,
    disputeWithdrawals: 0,
    disputeReinstatements: 0,
    fees: 0,
    net: 0,
    balanceCredits: 0,
    balanceDebits: 0,
    invoicesPaid: 0,
    invoicesPaidAmount: 0,
    invoicesPaidFromBalance: 0,
  };
}
