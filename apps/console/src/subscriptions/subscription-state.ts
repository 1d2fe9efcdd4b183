import type { Subscription } from './subscription-types';

const ENDED = ['canceled', 'incomplete_expired'];

/**
 * What the subscription's state allows, so the page offers only actions that can succeed. The API
 * decides again (and answers 409 when the state moved on); this only keeps dead buttons away.
 * It mirrors libs/commands/src/subscriptions/subscription.decisions.ts.
 */
export interface AllowedActions {
  /** Ended in Stripe, replaced by a plan change, or cancelled now and waiting for Stripe. */
  closed: boolean;
  closedBecause: string | null;
  /** Set (or asked) to cancel at period end. */
  cancelsAtPeriodEnd: boolean;
  edit: boolean;
  cancelNow: boolean;
  cancelAtPeriodEnd: boolean;
  changePlan: boolean;
  renew: boolean;
}

export function allowedActions(subscription: Subscription): AllowedActions {
  const requested = subscription.cancellationRequested;
  const replaced = Boolean(subscription.replacedBy) || requested?.reason === 'plan_change';
  const ended = subscription.status !== null && ENDED.includes(subscription.status);
  const closedBecause = replaced
    ? 'It was replaced by a plan change.'
    : ended
      ? `It is ${subscription.status?.replace(/_/g, ' ')}.`
      : requested?.when === 'now'
        ? 'Its cancellation was requested; Stripe has yet to confirm it.'
        : null;
  const closed = closedBecause !== null;
  const cancelsAtPeriodEnd = subscription.cancelAtPeriodEnd === true || requested?.when === 'period_end';
  return {
    closed,
    closedBecause,
    cancelsAtPeriodEnd,
    edit: !closed,
    cancelNow: !closed,
    cancelAtPeriodEnd: !closed && !cancelsAtPeriodEnd,
    changePlan: !closed && subscription.customerId !== null,
    // Renewing charges the next period now: pointless when it will not renew, impossible before Stripe has it.
    renew: !closed && !cancelsAtPeriodEnd && subscription.stripeId !== null,
  };
}

/**
 * The platform asked something of Stripe that Stripe has not confirmed yet (the subscription is
 * not created yet, or a cancellation is not reflected): the page refreshes itself meanwhile.
 */
export function awaitingStripe(subscription: Subscription): boolean {
  if (subscription.status === 'pending') return true;
  const requested = subscription.cancellationRequested;
  if (!requested || subscription.status === 'canceled') return false;
  return requested.when === 'now' || subscription.cancelAtPeriodEnd !== true;
}
