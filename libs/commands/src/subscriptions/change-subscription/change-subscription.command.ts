import { Command } from '@nestjs/cqrs';
import type { PostalAddress } from '@ledgerline/events';
import type { CommandContext } from '../../command-handling/command-context';
import type { CommandResult } from '../../command-handling/command-result';

/** PATCH /subscriptions/:id: its shipping address and/or the shipments remaining. */
export class ChangeSubscription extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly subscriptionId: string,
    readonly change: { shippingAddress?: PostalAddress; shipmentsRemaining?: number },
  ) {
    super();
  }
}
