import { Command } from '@nestjs/cqrs';
import type { CustomerDetails } from '@ledgerline/events';
import type { CommandContext } from '../../command-handling/command-context';
import type { CommandResult } from '../../command-handling/command-result';

export class RegisterCustomer extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly details: CustomerDetails,
  ) {
    super();
  }
}
