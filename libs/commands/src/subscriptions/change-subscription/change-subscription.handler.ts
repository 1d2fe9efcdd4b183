import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '../../command-handling/aggregate-store';
import { type CommandResult, commandResult } from '../../command-handling/command-result';
import { decideChange } from '../subscription.decisions';
import { SubscriptionRecords } from '../subscription-records';
import { ChangeSubscription } from './change-subscription.command';

@CommandHandler(ChangeSubscription)
export class ChangeSubscriptionHandler implements ICommandHandler<ChangeSubscription, CommandResult> {
  constructor(
    private readonly subscriptions: SubscriptionRecords,
    private readonly aggregates: AggregateStore,
  ) {}

  async execute({ context, subscriptionId, change }: ChangeSubscription): Promise<CommandResult> {
    const { aggregate, events } = await this.aggregates.decideAndAppend(context, {
      name: `subscription ${subscriptionId}`,
      read: () => this.subscriptions.load(subscriptionId),
      decide: (live) => decideChange(live, change),
    });
    return commandResult(context, aggregate.subscriptionId, events);
  }
}
