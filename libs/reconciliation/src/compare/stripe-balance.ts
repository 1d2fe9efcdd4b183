import type Stripe from 'stripe';
import { createStripeClient } from '@ledgerline/stripe';
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

/**
 * The client a run lists Stripe's balance with, or null without an API key (the run then uses the
 * balance transactions the events carry). Listing is a read: the SDK may retry it.
 */
export function stripeBalanceClient(config: { apiKey: string | null; apiBase: string | null }): Stripe | null {
  return config.apiKey
    ? createStripeClient({ apiKey: config.apiKey, apiBase: config.apiBase, maxNetworkRetries: 2 })
    : null;
}
