import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '../../command-handling/aggregate-store';
import { type CommandResult, commandResult } from '../../command-handling/command-result';
import { CustomerRecords } from '../../customers/customer-records';
import { ReadModelLookups } from '../../lookups/read-model-lookups';
import { decideRenew } from '../subscription.decisions';
import { type LiveSubscription, SubscriptionRecords } from '../subscription-records';
import { RenewSubscription } from './renew-subscription.command';

@CommandHandler(RenewSubscription)
export class RenewSubscriptionHandler implements ICommandHandler<RenewSubscription, CommandResult> {
  constructor(
    private readonly subscriptions: SubscriptionRecords,
    private readonly customers: CustomerRecords,
    private readonly aggregates: AggregateStore,
    private readonly lookups: ReadModelLookups,
  ) {}

  async execute({ context, subscriptionId }: RenewSubscription): Promise<CommandResult> {
    const { aggregate, events } = await this.aggregates.decideAndAppend(context, {
      name: `subscription ${subscriptionId}`,
      read: () => this.subscriptions.load(subscriptionId),
      decide: async (live) => decideRenew(live, await this.cardOnFile(live)),
    });
    return commandResult(context, aggregate.subscriptionId, events);
  }

  private async cardOnFile(live: LiveSubscription): Promise<string | null> {
    const customer = live.customerId ? await this.customers.load(live.customerId) : null;
    const stripeIds = new Set(customer?.state.stripeCustomerIds);
    if (live.customerStripeId) stripeIds.add(live.customerStripeId);
    return this.lookups.cardOnFile([...stripeIds]);
  }
}
