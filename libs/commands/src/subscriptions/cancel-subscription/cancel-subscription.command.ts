import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../command-handling/command-context';
import type { CommandResult } from '../../command-handling/command-result';

export class CancelSubscription extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly subscriptionId: string,
    readonly when: 'now' | 'period_end',
    readonly reason: string | null,
  ) {
    super();
  }
}
