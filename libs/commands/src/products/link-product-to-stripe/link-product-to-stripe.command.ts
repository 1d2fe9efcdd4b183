import { Command } from '@nestjs/cqrs';
import type { StripeProductRef } from '@ledgerline/read-models';
import type { CommandContext } from '../../command-handling/command-context';

/** The link as the API answers it: the same for a repeated PUT of the same link. */
export interface ProductLinkAnswer {
  productId: string;
  stripeProductId: string;
  account: string | null;
  linkedAt: string | null;
  linkedBy: string | null;
}

export class LinkProductToStripe extends Command<ProductLinkAnswer> {
  constructor(
    readonly context: CommandContext,
    /** The platform product key (PRODUCT_ID_PATTERN). */
    readonly productId: string,
    readonly stripe: StripeProductRef,
  ) {
    super();
  }
}
