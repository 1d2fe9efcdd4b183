import { describe, expect, it } from '@jest/globals';
import { fold } from '../command-handling/decider';
import { paymentEvolver, refundable } from './payment.aggregate';

const requested = (id: string, amount: number) => ({
  id: `evt-${id}`,
  type: 'RefundRequested',
  data: { refundRequestId: id, amount },
});

describe('refundable amount', () => {
  it('subtracts refunds Stripe holds and platform requests still in flight, once each', () => {
    const state = fold(paymentEvolver, [
      requested('r1', 300),
      { type: 'RefundLinkedToStripe', data: { refundRequestId: 'r1', stripeRefundId: 're_1' } },
      requested('r2', 200),
    ]);
    // re_1 is in Stripe's refunds (counted there), r2 is in flight, re_x was made in the dashboard.
    expect(
      refundable(1000, state, [
        { id: 're_1', amount: 300 },
        { id: 're_x', amount: 100 },
      ]),
    ).toBe(400);
  });

  it('gives back what a failed request held', () => {
    const state = fold(paymentEvolver, [
      requested('r1', 600),
      { type: 'StripeSyncFailed', data: { commandEventId: 'evt-r1' } },
    ]);
    expect(refundable(1000, state, [])).toBe(1000);
  });
});
