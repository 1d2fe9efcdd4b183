import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../command-handling/command-context';

/** The link that was removed, and when and by whom. */
export interface ProductUnlinkAnswer {
  productId: string;
  stripeProductId: string;
  account: string | null;
  unlinkedAt: string;
  unlinkedBy: string;
}

export class UnlinkProductFromStripe extends Command<ProductUnlinkAnswer> {
  constructor(
    readonly context: CommandContext,
    readonly productId: string,
  ) {
    super();
  }
}
