import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore, CONCURRENCY_ATTEMPTS } from '../../command-handling/aggregate-store';
import { type CommandResult, commandResult } from '../../command-handling/command-result';
import { retryOnConflict } from '../../command-handling/retry-on-conflict';
import { decideCancel } from '../subscription.decisions';
import { SubscriptionRecords } from '../subscription-records';
import { CancelSubscription } from './cancel-subscription.command';

@CommandHandler(CancelSubscription)
export class CancelSubscriptionHandler implements ICommandHandler<CancelSubscription, CommandResult> {
  constructor(
    private readonly subscriptions: SubscriptionRecords,
    private readonly aggregates: AggregateStore,
  ) {}

  execute({ context, subscriptionId, when, reason }: CancelSubscription): Promise<CommandResult> {
    return retryOnConflict(CONCURRENCY_ATTEMPTS, `subscription ${subscriptionId}`, async () => {
      const live = await this.subscriptions.load(subscriptionId);
      const events = await this.aggregates.append(
        live.stream,
        decideCancel(live, when, reason, context.issuedAt),
        context,
        live.revision,
      );
      return commandResult(context, live.subscriptionId, events);
    });
  }
}
