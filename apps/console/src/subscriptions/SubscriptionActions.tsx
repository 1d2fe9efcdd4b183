import type { ActionOutcome } from './ActionDialog';
import { ShipmentsDialog, UpdateAddressDialog } from './EditDialogs';
import { CancelDialog, ChangePlanDialog, RenewDialog } from './LifecycleDialogs';
import { allowedActions } from './subscription-state';
import type { Subscription } from './subscription-types';

/**
 * The commands support can issue on the subscription, each offered only when its state allows it
 * (the API still decides, and its refusal is shown in the dialog).
 */
export function SubscriptionActions({
  subscription,
  onDone,
}: {
  subscription: Subscription;
  onDone(outcome: ActionOutcome): void;
}) {
  const allowed = allowedActions(subscription);
  const props = { subscription, onDone };
  return (
    <section className="card" aria-labelledby="actions">
      <h2 id="actions">Actions</h2>
      {allowed.closed ? (
        <p className="muted">No changes possible: {allowed.closedBecause}</p>
      ) : (
        <div className="actions" role="group" aria-label="Subscription actions">
          <UpdateAddressDialog {...props} disabled={!allowed.edit} />
          <ShipmentsDialog {...props} disabled={!allowed.edit} />
          <ChangePlanDialog {...props} disabled={!allowed.changePlan} />
          <RenewDialog {...props} disabled={!allowed.renew} />
          <CancelDialog {...props} disabled={!allowed.cancelNow} atPeriodEndAllowed={allowed.cancelAtPeriodEnd} />
        </div>
      )}
      {!allowed.closed && allowed.cancelsAtPeriodEnd ? (
        <p className="muted">Set to cancel at period end: renewing in advance is not offered.</p>
      ) : null}
      {!allowed.closed && !subscription.stripeId ? (
        <p className="muted">Renewing in advance becomes possible once Stripe has created the subscription.</p>
      ) : null}
    </section>
  );
}
