import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../command-handling/command-context';
import type { CommandResult } from '../../command-handling/command-result';

export class RefundPayment extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    /** A charge (`ch_`, `py_`) or payment intent (`pi_`). */
    readonly paymentId: string,
    /** Minor units; undefined refunds all that is left. */
    readonly amount: number | undefined,
    readonly reason: 'duplicate' | 'fraudulent' | 'requested_by_customer' | null,
  ) {
    super();
  }
}
