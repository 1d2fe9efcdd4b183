import { Inject, Injectable } from '@nestjs/common';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import type { PlanChangeRefundPolicy } from '@ledgerline/events';
import { ReadModelLookups } from '../../lookups/read-model-lookups';
import { stripeSubscriptionIdOf } from '../subscription.aggregate';
import { planChangeCredit } from '../subscription.decisions';
import { type LiveSubscription, SubscriptionRecords } from '../subscription-records';

/** What a plan change would credit to the customer's balance, were it made at `now`. */
export interface PlanChangeCreditPreview {
  /** `PLAN_CHANGE_REFUND`: the unused share of the period (`prorated`) or all of it (`full`). */
  policy: PlanChangeRefundPolicy;
  /** In minor units; 0 when nothing was paid for the current period. */
  amount: number;
  /** The paid invoice's currency; null when nothing was paid. */
  currency: string | null;
  /** What was paid for the current period (its newest paid invoice), null when nothing. */
  paid: number | null;
}

/** The credit of a plan change of `live` at `now`: the same computation the command records. */
export async function creditOfPlanChange(
  live: LiveSubscription,
  policy: PlanChangeRefundPolicy,
  lookups: ReadModelLookups,
  now: Date,
): Promise<PlanChangeCreditPreview> {
  const stripeId = stripeSubscriptionIdOf(live.subscriptionId, live.state);
  const paid = stripeId ? await lookups.lastPaidAmount(stripeId) : null;
  const amount = planChangeCredit(
    policy,
    paid?.amount ?? 0,
    { start: live.currentPeriodStart, end: live.currentPeriodEnd },
    now,
  );
  return { policy, amount, currency: paid?.currency ?? null, paid: paid?.amount ?? null };
}

/** The credit a plan change would give now, for the console to show before support confirms. */
@Injectable()
export class PlanChangeCredits {
  constructor(
    private readonly subscriptions: SubscriptionRecords,
    private readonly lookups: ReadModelLookups,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {}

  async preview(subscriptionId: string, now = new Date()): Promise<PlanChangeCreditPreview> {
    const live = await this.subscriptions.load(subscriptionId);
    return creditOfPlanChange(live, this.config.commands.planChangeRefund, this.lookups, now);
  }
}
