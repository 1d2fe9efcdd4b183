import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { type SubscriptionStarted, subscriptionStream } from '@ledgerline/events';
import { AggregateStore } from '../../command-handling/aggregate-store';
import { newIdFor } from '../../command-handling/command-context';
import { CommandRejected, rejectIfAny } from '../../command-handling/command-errors';
import { type CommandResult, commandResult } from '../../command-handling/command-result';
import { CustomerRecords } from '../../customers/customer-records';
import { pricedItem, ReadModelLookups } from '../../lookups/read-model-lookups';
import { subscriptionEvolver } from '../subscription.aggregate';
import { StartSubscription } from './start-subscription.command';

/**
 * Checks everything the subscription needs (customer, price, coupon, gift recipient, address when
 * taxes are on, a card when paid by card) and reports every problem at once before appending.
 */
@CommandHandler(StartSubscription)
export class StartSubscriptionHandler implements ICommandHandler<StartSubscription, CommandResult> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly customers: CustomerRecords,
    private readonly lookups: ReadModelLookups,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {}

  async execute({ context, input }: StartSubscription): Promise<CommandResult> {
    const rejection = (error: unknown) => (error instanceof CommandRejected ? error.problems.join('; ') : null);
    const [customer, customerProblem] = await settle(this.customers.loadActive(input.customerId, 'customerId'));
    const [gift, giftProblem] = input.giftRecipientId
      ? await settle(this.customers.loadActive(input.giftRecipientId, 'giftRecipientId'))
      : [null, null];
    const price = await this.lookups.price(input.priceId);
    const couponProblem = input.couponId ? await this.lookups.couponProblem(input.couponId) : null;
    const card =
      customer && input.collection === 'card_on_file'
        ? await this.lookups.cardOnFile(customer.state.stripeCustomerIds)
        : null;
    const address = input.shippingAddress ?? customer?.state.details?.address ?? null;
    rejectIfAny([
      rejection(customerProblem),
      rejection(giftProblem),
      !price ? `priceId ${input.priceId} is not a known price or plan` : null,
      price && !price.active ? `priceId ${input.priceId} is archived` : null,
      price && !price.recurring ? `priceId ${input.priceId} is a one-time price, not a recurring one` : null,
      couponProblem,
      gift && customer && gift.customerId === customer.customerId
        ? 'giftRecipientId must be another customer than customerId'
        : null,
      this.config.commands.taxesEnabled && !address
        ? 'shippingAddress is required when taxes are enabled (the customer has no address on file)'
        : null,
      customer && input.collection === 'card_on_file' && !card
        ? 'collection card_on_file needs a card on file; the customer has none (use send_invoice or offline)'
        : null,
    ]);
    if (customerProblem || giftProblem) throw customerProblem ?? giftProblem;

    // Stripe charges the default card of the Stripe customer the subscription is made for: the
    // customer the card on file belongs to, when the record joins several.
    const stripeIds = customer!.state.stripeCustomerIds;
    const owner = card ? await this.lookups.cardOwner(card) : null;
    const customerStripeId = owner && stripeIds.includes(owner) ? owner : (stripeIds[0] ?? null);
    const subscriptionId = newIdFor(context, 'subscription');
    const trialDays = input.trialDays ?? price!.trialPeriodDays ?? null;
    const data: SubscriptionStarted = {
      subscriptionId,
      customerId: customer!.customerId,
      customerStripeId,
      item: pricedItem(price!),
      couponId: input.couponId ?? null,
      trialDays: trialDays && trialDays > 0 ? trialDays : null,
      collection: input.collection,
      daysUntilDue: input.collection === 'card_on_file' ? null : this.config.commands.invoiceDaysUntilDue,
      giftRecipientId: gift?.customerId ?? null,
      shippingAddress: input.shippingAddress ?? null,
      shipmentsRemaining: input.shipmentsRemaining ?? null,
      replacesSubscriptionId: null,
    };
    const { events } = await this.aggregates.decideAndAppend(context, {
      read: () => this.aggregates.load(subscriptionStream(subscriptionId), subscriptionEvolver),
      decide: ({ state }) => {
        if (state.status !== 'unknown') throw CommandRejected.conflict(`Subscription ${subscriptionId} already exists`);
        return [{ type: 'SubscriptionStarted', data }];
      },
    });
    return commandResult(context, subscriptionId, events);
  }
}

/** A promise's value or its error, so several checks can all run before the problems are reported. */
async function settle<T>(promise: Promise<T>): Promise<[T, null] | [null, unknown]> {
  try {
    return [await promise, null];
  } catch (error) {
    return [null, error];
  }
}
