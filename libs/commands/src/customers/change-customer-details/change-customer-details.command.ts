import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../command-handling/command-context';
import type { CommandResult } from '../../command-handling/command-result';
import type { CustomerDetailsPatch } from '../customer.aggregate';

export class ChangeCustomerDetails extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    /** A platform id or a Stripe `cus_` id. */
    readonly customerId: string,
    readonly patch: CustomerDetailsPatch,
  ) {
    super();
  }
}
