import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../command-handling/command-context';
import type { CommandResult } from '../../command-handling/command-result';

/** Renew with "charge upon renewal": charge the card now, credit the balance, the renewal invoice draws on it. */
export class RenewSubscription extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly subscriptionId: string,
  ) {
    super();
  }
}
