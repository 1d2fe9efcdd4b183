import { describe, expect, it } from '@jest/globals';
import { fold } from '../command-handling/decider';
import { subscriptionEvolver } from './subscription.aggregate';
import { decideCancel, decideChange, decidePlanChange, decideRenew, planChangeCredit } from './subscription.decisions';
import type { LiveSubscription } from './subscription-records';

const day = 86_400_000;
const start = new Date('2026-11-01T00:00:00Z');
const end = new Date(start.getTime() + 30 * day);

function live(
  events: { type: string; data: unknown }[] = [],
  overrides: Partial<LiveSubscription> = {},
): LiveSubscription {
  return {
    state: fold(subscriptionEvolver, events),
    revision: 0n,
    events: [],
    subscriptionId: 'sub_1',
    stream: 'subscription-sub_1',
    stripeStatus: 'active',
    customerId: 'c0ffee00-0000-4000-8000-000000000001',
    customerStripeId: 'cus_1',
    items: [{ priceId: 'price_gold', unitAmount: 3000, quantity: 1, currency: 'usd' }],
    currentPeriodStart: start,
    currentPeriodEnd: end,
    cancelAtPeriodEnd: false,
    ...overrides,
  };
}

describe('subscription decisions', () => {
  it('credits the unused share of what was paid (prorated) or all of it (full)', () => {
    const tenDaysIn = new Date(start.getTime() + 10 * day);
    expect(planChangeCredit('prorated', 3000, { start, end }, tenDaysIn)).toBe(2000);
    expect(planChangeCredit('full', 3000, { start, end }, tenDaysIn)).toBe(3000);
    expect(planChangeCredit('prorated', 3000, { start, end }, new Date(end.getTime() + day))).toBe(0);
    expect(planChangeCredit('prorated', 0, { start, end }, tenDaysIn)).toBe(0);
  });

  it('given an active subscription, when cancelled at period end twice, then the second is a conflict', () => {
    const [event] = decideCancel(live(), 'period_end', null, start);
    expect(event!.type).toBe('SubscriptionCancellationRequested');
    expect(() => decideCancel(live([event!]), 'period_end', null, start)).toThrow(/already set to cancel/);
    expect(decideCancel(live([event!]), 'now', 'moving', start)).toHaveLength(1);
  });

  it('given a cancellation, then it records when it takes effect: now, the period end, or null when unknown', () => {
    const issued = new Date(start.getTime() + 3 * day);
    const effectiveAt = (subscription: LiveSubscription, when: 'now' | 'period_end') =>
      (decideCancel(subscription, when, null, issued)[0]!.data as { effectiveAt: string | null }).effectiveAt;
    expect(effectiveAt(live(), 'now')).toBe(issued.toISOString());
    expect(effectiveAt(live(), 'period_end')).toBe(end.toISOString());
    expect(effectiveAt(live([], { currentPeriodEnd: null }), 'period_end')).toBeNull();
  });

  it('given a canceled subscription, when changed, then a conflict', () => {
    expect(() => decideChange(live([], { stripeStatus: 'canceled' }), { shipmentsRemaining: 3 })).toThrow(/canceled/);
  });

  it('given a subscription, when the shipments change, then one event with the previous count', () => {
    expect(decideChange(live(), { shipmentsRemaining: 4 })).toEqual([
      {
        type: 'SubscriptionShipmentsRemainingChanged',
        data: { subscriptionId: 'sub_1', customerId: live().customerId, shipmentsRemaining: 4, previous: null },
      },
    ]);
  });

  it('given a plan change to the same price, then it is refused', () => {
    const change = {
      toPriceId: 'price_gold',
      newSubscriptionId: 'n',
      policy: 'prorated' as const,
      credit: 0,
      currency: 'usd',
    };
    expect(() => decidePlanChange(live(), change)).toThrow(/current price/);
  });

  it('given a card on file, when renewed, then the renewal amount is prepaid once per period', () => {
    const [event] = decideRenew(live(), 'pm_1');
    expect(event!.data).toMatchObject({ amount: 3000, currency: 'usd', renewsAt: end.toISOString() });
    expect(() => decideRenew(live([event!]), 'pm_1')).toThrow(/already paid/);
    expect(() => decideRenew(live(), null)).toThrow(/no card on file/);
  });
});
