import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore, CONCURRENCY_ATTEMPTS } from '../../command-handling/aggregate-store';
import { type CommandResult, commandResult } from '../../command-handling/command-result';
import { retryOnConflict } from '../../command-handling/retry-on-conflict';
import { CustomerRecords } from '../../customers/customer-records';
import { ReadModelLookups } from '../../lookups/read-model-lookups';
import { decideRenew } from '../subscription.decisions';
import { SubscriptionRecords } from '../subscription-records';
import { RenewSubscription } from './renew-subscription.command';

@CommandHandler(RenewSubscription)
export class RenewSubscriptionHandler implements ICommandHandler<RenewSubscription, CommandResult> {
  constructor(
    private readonly subscriptions: SubscriptionRecords,
    private readonly customers: CustomerRecords,
    private readonly aggregates: AggregateStore,
    private readonly lookups: ReadModelLookups,
  ) {}

  execute({ context, subscriptionId }: RenewSubscription): Promise<CommandResult> {
    return retryOnConflict(CONCURRENCY_ATTEMPTS, `subscription ${subscriptionId}`, async () => {
      const live = await this.subscriptions.load(subscriptionId);
      const customer = live.customerId ? await this.customers.load(live.customerId) : null;
      const stripeIds = new Set(customer?.state.stripeCustomerIds);
      if (live.customerStripeId) stripeIds.add(live.customerStripeId);
      const card = await this.lookups.cardOnFile([...stripeIds]);
      const events = await this.aggregates.append(live.stream, decideRenew(live, card), context, live.revision);
      return commandResult(context, live.subscriptionId, events);
    });
  }
}
