import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore, CONCURRENCY_ATTEMPTS } from '../../command-handling/aggregate-store';
import { type CommandResult, commandResult } from '../../command-handling/command-result';
import { retryOnConflict } from '../../command-handling/retry-on-conflict';
import { decideChange } from '../subscription.decisions';
import { SubscriptionRecords } from '../subscription-records';
import { ChangeSubscription } from './change-subscription.command';

@CommandHandler(ChangeSubscription)
export class ChangeSubscriptionHandler implements ICommandHandler<ChangeSubscription, CommandResult> {
  constructor(
    private readonly subscriptions: SubscriptionRecords,
    private readonly aggregates: AggregateStore,
  ) {}

  execute({ context, subscriptionId, change }: ChangeSubscription): Promise<CommandResult> {
    return retryOnConflict(CONCURRENCY_ATTEMPTS, `subscription ${subscriptionId}`, async () => {
      const live = await this.subscriptions.load(subscriptionId);
      const decided = decideChange(live, change);
      const events = decided.length ? await this.aggregates.append(live.stream, decided, context, live.revision) : [];
      return commandResult(context, live.subscriptionId, events);
    });
  }
}
