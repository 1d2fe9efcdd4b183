import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '../../command-handling/aggregate-store';
import { type CommandResult, commandResult } from '../../command-handling/command-result';
import { decideCancel } from '../subscription.decisions';
import { SubscriptionRecords } from '../subscription-records';
import { CancelSubscription } from './cancel-subscription.command';

@CommandHandler(CancelSubscription)
export class CancelSubscriptionHandler implements ICommandHandler<CancelSubscription, CommandResult> {
  constructor(
    private readonly subscriptions: SubscriptionRecords,
    private readonly aggregates: AggregateStore,
  ) {}

  async execute({ context, subscriptionId, when, reason }: CancelSubscription): Promise<CommandResult> {
    const { aggregate, events } = await this.aggregates.decideAndAppend(context, {
      name: `subscription ${subscriptionId}`,
      read: () => this.subscriptions.load(subscriptionId),
      decide: (live) => decideCancel(live, when, reason, context.issuedAt),
    });
    return commandResult(context, aggregate.subscriptionId, events);
  }
}
