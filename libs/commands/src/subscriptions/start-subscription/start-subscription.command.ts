import { Command } from '@nestjs/cqrs';
import type { PaymentCollection, PostalAddress } from '@ledgerline/events';
import type { CommandContext } from '../../command-handling/command-context';
import type { CommandResult } from '../../command-handling/command-result';

export interface StartSubscriptionInput {
  customerId: string;
  /** A `price_` id, or a legacy plan id. */
  priceId: string;
  couponId?: string;
  /** Undefined: the price's own trial; 0: no trial; n: n days. */
  trialDays?: number;
  collection: PaymentCollection;
  giftRecipientId?: string;
  shippingAddress?: PostalAddress;
  shipmentsRemaining?: number;
}

export class StartSubscription extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly input: StartSubscriptionInput,
  ) {
    super();
  }
}
