import type { RecordedEvent } from '@ledgerline/event-store';
import { dayOf } from '../period';
import { type MoneyDigest, moneyDigestOf } from './money-digest';
import type { StripeMoneyFact } from './money-facts';

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
  /** When the platform asked (Unix seconds): the command's time. */
  requestedAt: number;
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
  /** held(), sorted once until the next fact arrives: the comparison and the events' balance both read it. */
  private sortedHeld: readonly (Held & { key: string })[] | null = null;

  add(event: RecordedEvent): void {
    const digest = moneyDigestOf(event);
    if (digest) this.addDigest(digest);
  }

  /** What `add` does with an event, from the event's digest (kept between runs: MoneyDigests). */
  addDigest(digest: MoneyDigest): void {
    if (digest.platform) return this.addPlatform(digest);
    const { created, account, position, eventId } = digest;
    this.sortedHeld = null;
    for (const fact of digest.facts) {
      const key = `${fact.kind}/${fact.id}`;
      const held = this.facts.get(key);
      const newer = !held || created > held.created || (created === held.created && position > held.position);
      const [kept, other] = newer ? [fact, held?.fact] : [held.fact, fact];
      const merged = withBalanceTransactionOf(kept, other);
      if (newer) this.facts.set(key, { fact: merged, account, created, position, eventId });
      else held.fact = merged;
    }
  }

  private addPlatform({ request, link, eventId }: MoneyDigest): void {
    if (request) {
      const { requestId, chargeId, paymentIntentId, amount, currency, requestedAt } = request;
      // This key order is the report's.
      const fact = {
        requestId,
        eventId,
        chargeId,
        paymentIntentId,
        amount,
        currency,
        requestedAt,
        stripeRefundId: null,
      };
      this.requests.set(requestId, fact);
    }
    if (link) this.links.set(link.requestId, link.stripeRefundId);
  }

  /** Every fact held, in a stable order (kind, id), with the event that last told it. */
  held(): readonly (Held & { key: string })[] {
    this.sortedHeld ??= [...this.facts]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, held]) => ({ key, ...held }));
    return this.sortedHeld;
  }

  /** The fact held under `kind/id`, with the event that last told it. */
  heldFact(key: string): Readonly<Held> | undefined {
    return this.facts.get(key);
  }

  refundRequests(): RefundRequestFact[] {
    return [...this.requests.values()]
      .map((request) => ({ ...request, stripeRefundId: this.links.get(request.requestId) ?? null }))
      .sort((a, b) => (a.requestId < b.requestId ? -1 : 1));
  }

  /**
   * What each fact contributes to the ledger of [from, to) (Unix seconds): one entry per field it
   * adds to, dated by the fact's own time. The ledger and the read-model check both sum these.
   */
  entries(from: number, to: number): LedgerEntry[] {
    const found: LedgerEntry[] = [];
    for (const { fact, account, eventId } of this.facts.values()) {
      const add = (field: LedgerField, at: number, currency: string, amount: number) => {
        if (at >= from && at < to && amount !== 0) {
          found.push({ field, day: dayOf(at), currency, account, objectId: fact.id, eventId, amount });
        }
      };
      switch (fact.kind) {
        case 'charge':
          if (!fact.succeeded || fact.captured <= 0) break;
          add('grossCharges', fact.created, fact.currency, fact.captured);
          add('charges', fact.created, fact.currency, 1);
          add('fees', fact.created, fact.currency, fact.balanceTransaction?.fee ?? 0);
          break;
        case 'refund':
          if (!fact.effective) break;
          add(
            fact.initiatedBy === 'platform' ? 'refundsByPlatform' : 'refundsByStripe',
            fact.created,
            fact.currency,
            fact.amount,
          );
          add('fees', fact.created, fact.currency, fact.balanceTransaction?.fee ?? 0);
          break;
        case 'dispute':
          for (const bt of fact.balanceTransactions) {
            if (bt.amount === null) continue;
            const at = bt.created ?? fact.created;
            const currency = bt.currency ?? fact.currency;
            if (bt.amount < 0) add('disputeWithdrawals', at, currency, -bt.amount);
            else add('disputeReinstatements', at, currency, bt.amount);
            add('fees', at, currency, bt.fee ?? 0);
          }
          break;
        case 'invoice':
          if (!fact.paid) break;
          add('invoicesPaid', fact.paidAt ?? 0, fact.currency, 1);
          add('invoicesPaidAmount', fact.paidAt ?? 0, fact.currency, fact.amountPaid);
          add('invoicesPaidFromBalance', fact.paidAt ?? 0, fact.currency, fact.paidFromBalance);
          break;
        case 'balance_change':
          // A negative balance is credit the customer holds: a decrease credits them.
          if (fact.delta < 0) add('balanceCredits', fact.created, fact.currency, -fact.delta);
          else add('balanceDebits', fact.created, fact.currency, fact.delta);
          break;
      }
    }
    return found;
  }

  /** The ledger of days in [from, to) (Unix seconds), sorted by day, currency, account. */
  ledger(from: number, to: number): LedgerLine[] {
    return ledgerOf(this.entries(from, to));
  }
}

/** The fields of a ledger line that entries add to (`net` is computed from them). */
export type LedgerField = Exclude<keyof LedgerLine, 'day' | 'currency' | 'account' | 'net'>;

/** One fact's contribution to one field of one ledger line. */
export interface LedgerEntry {
  field: LedgerField;
  day: string;
  currency: string;
  account: string | null;
  /** The Stripe object (or, for a balance change, the Stripe event) that moved the money. */
  objectId: string;
  /** The store event that last told it. */
  eventId: string;
  amount: number;
}

/** Sums entries into ledger lines, sorted by day, currency, account. */
export function ledgerOf(entries: LedgerEntry[]): LedgerLine[] {
  const lines = new Map<string, LedgerLine>();
  for (const entry of entries) {
    const key = `${entry.day}|${entry.currency}|${entry.account ?? ''}`;
    let line = lines.get(key);
    if (!line) lines.set(key, (line = emptyLine(entry.day, entry.currency, entry.account)));
    line[entry.field] += entry.amount;
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
