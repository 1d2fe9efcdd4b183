import type Stripe from 'stripe';
import type { BalanceTransaction } from './balance-transactions';

/**
 * Stripe's balance transactions created in [from, to) (Unix seconds), every page, through the SDK
 * (which retries as configured). Sorted by id, so the report does not depend on Stripe's paging.
 */
export async function balanceTransactionsFromStripe(
  stripe: Stripe,
  period: { from: number; to: number },
  stripeAccount?: string,
): Promise<BalanceTransaction[]> {
  const found: BalanceTransaction[] = [];
  const pages = stripe.balanceTransactions.list(
    { created: { gte: period.from, lt: period.to }, limit: 100 },
    stripeAccount ? { stripeAccount } : undefined,
  );
  for await (const txn of pages) {
    found.push({
      id: txn.id,
      source: typeof txn.source === 'string' ? txn.source : (txn.source?.id ?? null),
      type: txn.type,
      amount: txn.amount,
      fee: txn.fee,
      currency: txn.currency,
      created: txn.created,
    });
  }
  return found.sort((a, b) => (a.id < b.id ? -1 : 1));
}
