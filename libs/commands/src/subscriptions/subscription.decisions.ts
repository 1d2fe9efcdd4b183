import type {
  PlanChangeRefundPolicy,
  PostalAddress,
  SubscriptionAddressChanged,
  SubscriptionCancellationRequested,
  SubscriptionPlanChanged,
  SubscriptionRenewalPrepaid,
  SubscriptionShipmentsRemainingChanged,
} from '@ledgerline/events';
import { CommandRejected } from '../command-handling/command-errors';
import type { DecidedEvent } from '../command-handling/decider';
import type { LiveSubscription } from './subscription-records';

const ENDED = ['canceled', 'incomplete_expired'];

/** Commands that change a subscription need one still running, on the platform and in Stripe. */
export function assertOpen(live: LiveSubscription): void {
  if (live.state.status === 'replaced') {
    throw CommandRejected.conflict(`Subscription ${live.subscriptionId} was replaced by a plan change`);
  }
  if (live.state.status === 'canceled' || (live.stripeStatus !== null && ENDED.includes(live.stripeStatus))) {
    throw CommandRejected.conflict(`Subscription ${live.subscriptionId} is canceled`);
  }
}

export function decideChange(
  live: LiveSubscription,
  change: { shippingAddress?: PostalAddress; shipmentsRemaining?: number },
): DecidedEvent[] {
  assertOpen(live);
  const events: DecidedEvent[] = [];
  const { subscriptionId, customerId } = live;
  if (change.shippingAddress && JSON.stringify(change.shippingAddress) !== JSON.stringify(live.state.shippingAddress)) {
    const data: SubscriptionAddressChanged = { subscriptionId, customerId, shippingAddress: change.shippingAddress };
    events.push({ type: 'SubscriptionAddressChanged', data });
  }
  if (change.shipmentsRemaining !== undefined && change.shipmentsRemaining !== live.state.shipmentsRemaining) {
    const data: SubscriptionShipmentsRemainingChanged = {
      subscriptionId,
      customerId,
      shipmentsRemaining: change.shipmentsRemaining,
      previous: live.state.shipmentsRemaining,
    };
    events.push({ type: 'SubscriptionShipmentsRemainingChanged', data });
  }
  return events;
}

/** `now` is the command's time: a cancellation `now` takes effect then. */
export function decideCancel(
  live: LiveSubscription,
  when: 'now' | 'period_end',
  reason: string | null,
  now: Date,
): DecidedEvent[] {
  assertOpen(live);
  if (when === 'period_end' && (live.cancelAtPeriodEnd || live.state.cancelAtPeriodEnd)) {
    throw CommandRejected.conflict(`Subscription ${live.subscriptionId} is already set to cancel at period end`);
  }
  const effectiveAt = when === 'now' ? now : live.currentPeriodEnd;
  const data: SubscriptionCancellationRequested = {
    subscriptionId: live.subscriptionId,
    customerId: live.customerId,
    when,
    effectiveAt: effectiveAt?.toISOString() ?? null,
    reason,
  };
  return [{ type: 'SubscriptionCancellationRequested', data }];
}

/**
 * What goes back to the customer's balance on a plan change: all that was paid for the current
 * period, or the unused share of it (by time left in the period), rounded to the minor unit.
 */
export function planChangeCredit(
  policy: PlanChangeRefundPolicy,
  paid: number,
  period: { start: Date | null; end: Date | null },
  now: Date,
): number {
  if (paid <= 0) return 0;
  if (policy === 'full') return paid;
  if (!period.start || !period.end || period.end <= period.start) return 0;
  const left = Math.min(
    Math.max(period.end.getTime() - now.getTime(), 0),
    period.end.getTime() - period.start.getTime(),
  );
  return Math.round((paid * left) / (period.end.getTime() - period.start.getTime()));
}

export function decidePlanChange(
  live: LiveSubscription,
  change: {
    toPriceId: string;
    newSubscriptionId: string;
    policy: PlanChangeRefundPolicy;
    credit: number;
    currency: string;
  },
): DecidedEvent[] {
  assertOpen(live);
  if (!live.customerId) throw CommandRejected.conflict(`Subscription ${live.subscriptionId} has no platform customer`);
  const fromPriceId = live.items[0]?.priceId ?? live.state.item?.priceId ?? null;
  if (fromPriceId === change.toPriceId) {
    throw CommandRejected.invalid(`priceId ${change.toPriceId} is the subscription's current price`);
  }
  const data: SubscriptionPlanChanged = {
    subscriptionId: live.subscriptionId,
    customerId: live.customerId,
    newSubscriptionId: change.newSubscriptionId,
    fromPriceId,
    toPriceId: change.toPriceId,
    refundPolicy: change.policy,
    creditAmount: change.credit,
    currency: change.currency,
  };
  return [{ type: 'SubscriptionPlanChanged', data }];
}

/** Charge upon renewal: the next renewal's amount, charged now and credited to the balance. */
export function decideRenew(live: LiveSubscription, cardOnFile: string | null): DecidedEvent[] {
  assertOpen(live);
  if (!live.state.stripeSubscriptionId && !live.subscriptionId.startsWith('sub_')) {
    throw CommandRejected.conflict(`Subscription ${live.subscriptionId} is not in Stripe yet; renew it once it is`);
  }
  if (!live.customerId) throw CommandRejected.conflict(`Subscription ${live.subscriptionId} has no platform customer`);
  const amount = live.items.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0);
  const currency = live.items[0]?.currency ?? null;
  const renewsAt = live.currentPeriodEnd?.toISOString() ?? null;
  const problems = [
    cardOnFile ? null : `the customer has no card on file to charge`,
    amount > 0 && currency ? null : `the subscription's renewal amount is unknown or zero`,
  ].filter((p): p is string => p !== null);
  if (problems.length) throw CommandRejected.invalid(...problems);
  if (live.state.prepaidRenewals.includes(renewsAt)) {
    throw CommandRejected.conflict(
      `The renewal of ${live.subscriptionId} at ${renewsAt ?? 'period end'} is already paid`,
    );
  }
  const data: SubscriptionRenewalPrepaid = {
    subscriptionId: live.subscriptionId,
    customerId: live.customerId,
    amount,
    currency: currency!,
    renewsAt,
  };
  return [{ type: 'SubscriptionRenewalPrepaid', data }];
}
