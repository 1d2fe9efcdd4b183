import type { LedgerBook } from '../ledger/ledger-book';

/** Stripe's balance transaction, as the API lists it (only what the comparison reads). */
export interface BalanceTransaction {
  id: string;
  /** The object that moved the money: `ch_`/`py_` (charge), `re_`/`pyr_` (refund), `dp_`/`du_` (dispute). */
  source: string | null;
  type: string;
  amount: number;
  fee: number;
  currency: string;
  created: number;
  /** The Connect account it was listed for (null: the platform account). */
  account?: string | null;
}

export type BalanceTransactionSource = 'stripe_api' | 'events';

/**
 * Without an API key, the balance transactions the events themselves carry: those Stripe expanded
 * on charges, refunds and disputes. It can show amounts that disagree and money counted twice, not
 * money the events never mentioned; the report says which source it used.
 */
export function balanceTransactionsFromEvents(book: LedgerBook): BalanceTransaction[] {
  const found = new Map<string, BalanceTransaction>();
  for (const { fact } of book.held()) {
    if (fact.kind === 'charge' || fact.kind === 'refund') {
      const bt = fact.balanceTransaction;
      if (!bt || bt.amount === null) continue;
      found.set(bt.id, {
        id: bt.id,
        source: fact.id,
        type: fact.kind,
        amount: bt.amount,
        fee: bt.fee ?? 0,
        currency: bt.currency ?? fact.currency,
        created: bt.created ?? fact.created,
      });
    }
    if (fact.kind === 'dispute') {
      for (const bt of fact.balanceTransactions) {
        if (bt.amount === null) continue;
        found.set(bt.id, {
          id: bt.id,
          source: fact.id,
          type: 'adjustment',
          amount: bt.amount,
          fee: bt.fee ?? 0,
          currency: bt.currency ?? fact.currency,
          created: bt.created ?? fact.created,
        });
      }
    }
  }
  return [...found.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}
