import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../command-handling/command-context';
import type { CommandResult } from '../../command-handling/command-result';

/** Cancel the subscription, credit the customer's balance per the configured policy, start one on `priceId`. */
export class ChangePlan extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly subscriptionId: string,
    readonly priceId: string,
  ) {
    super();
  }
}
