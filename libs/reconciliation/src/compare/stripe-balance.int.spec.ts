import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startStripeServer, type StripeTestServer } from '@ledgerline/testing';
import { balanceTransactionsFromStripe } from './stripe-balance';

const T = 1_767_225_600;

describe('balanceTransactionsFromStripe (real HTTP to the local Stripe server)', () => {
  let server: StripeTestServer;
  beforeAll(async () => {
    server = await startStripeServer();
    const txns = Array.from({ length: 250 }, (_, i) => ({
      id: `txn_${String(i).padStart(4, '0')}`,
      source: `ch_${i}`,
      type: 'charge',
      amount: 100 + i,
      fee: 3,
      currency: 'eur',
      created: T + i * 600, // every ten minutes: 144 on the first day
    }));
    server.addBalanceTransactions(txns);
    server.addBalanceTransactions([{ ...txns[0], id: 'txn_connect', source: 'ch_connect' }], 'acct_1');
  });
  afterAll(() => server?.close());

  it('reads every page of the period, and only the period, per account', async () => {
    const found = await balanceTransactionsFromStripe(server.stripe(), { from: T, to: T + 86_400 });
    expect(found).toHaveLength(144);
    expect(found[0]).toEqual({
      id: 'txn_0000',
      source: 'ch_0',
      type: 'charge',
      amount: 100,
      fee: 3,
      currency: 'eur',
      created: T,
    });
    expect(found.map((t) => t.id)).toEqual([...found.map((t) => t.id)].sort());
    expect(server.requests({ method: 'GET', path: '/v1/balance_transactions' }).length).toBe(2);
    const connect = await balanceTransactionsFromStripe(server.stripe(), { from: T, to: T + 86_400 }, 'acct_1');
    expect(connect.map((t) => t.id)).toEqual(['txn_connect']);
  });
});
