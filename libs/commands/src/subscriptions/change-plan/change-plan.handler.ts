import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { type SubscriptionStarted, subscriptionStream } from '@ledgerline/events';
import { AggregateStore } from '../../command-handling/aggregate-store';
import { newIdFor } from '../../command-handling/command-context';
import { rejectIfAny } from '../../command-handling/command-errors';
import { type CommandResult, commandResult } from '../../command-handling/command-result';
import { pricedItem, ReadModelLookups } from '../../lookups/read-model-lookups';
import { decidePlanChange } from '../subscription.decisions';
import { SubscriptionRecords } from '../subscription-records';
import { ChangePlan } from './change-plan.command';
import { creditOfPlanChange } from './plan-change-credit';

/**
 * Two appends: `SubscriptionPlanChanged` on the old subscription (decided with its revision), then
 * `SubscriptionStarted` of the new one, caused by it. The process manager carries them out in that
 * order (cancel, credit the balance, start), so the balance is there when the new one first invoices.
 */
@CommandHandler(ChangePlan)
export class ChangePlanHandler implements ICommandHandler<ChangePlan, CommandResult> {
  constructor(
    private readonly subscriptions: SubscriptionRecords,
    private readonly aggregates: AggregateStore,
    private readonly lookups: ReadModelLookups,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {}

  async execute({ context, subscriptionId, priceId }: ChangePlan): Promise<CommandResult> {
    const price = await this.lookups.price(priceId);
    rejectIfAny([
      !price ? `priceId ${priceId} is not a known price or plan` : null,
      price && !price.active ? `priceId ${priceId} is archived` : null,
      price && !price.recurring ? `priceId ${priceId} is a one-time price, not a recurring one` : null,
    ]);
    const newSubscriptionId = newIdFor(context, 'subscription');
    const policy = this.config.commands.planChangeRefund;
    const { aggregate: live, events: changed } = await this.aggregates.decideAndAppend(context, {
      name: `subscription ${subscriptionId}`,
      read: () => this.subscriptions.load(subscriptionId),
      decide: async (live) => {
        // The same computation GET /subscriptions/:id/change-plan/credit shows beforehand.
        const credit = await creditOfPlanChange(live, policy, this.lookups, context.issuedAt);
        return decidePlanChange(live, {
          toPriceId: priceId,
          newSubscriptionId,
          policy,
          credit: credit.amount,
          currency: credit.currency ?? price!.currency,
        });
      },
    });
    const started: SubscriptionStarted = {
      subscriptionId: newSubscriptionId,
      customerId: live.customerId!,
      customerStripeId: live.customerStripeId,
      item: pricedItem(price!),
      couponId: null,
      trialDays: null,
      collection: live.state.collection ?? (live.items.length ? 'card_on_file' : 'send_invoice'),
      daysUntilDue: live.state.collection === 'card_on_file' ? null : this.config.commands.invoiceDaysUntilDue,
      giftRecipientId: live.state.giftRecipientId,
      shippingAddress: live.state.shippingAddress,
      shipmentsRemaining: live.state.shipmentsRemaining,
      replacesSubscriptionId: live.subscriptionId,
    };
    const startedEvents = await this.aggregates.append(
      subscriptionStream(newSubscriptionId),
      [{ type: 'SubscriptionStarted', data: started }],
      { ...context, commandId: changed[0]!.eventId },
      'no_stream',
    );
    return commandResult(context, newSubscriptionId, [...changed, ...startedEvents]);
  }
}
