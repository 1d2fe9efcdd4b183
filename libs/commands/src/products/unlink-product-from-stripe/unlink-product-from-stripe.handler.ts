import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { productStream, type ProductUnlinkedFromStripe } from '@ledgerline/events';
import { AggregateStore } from '../../command-handling/aggregate-store';
import { ReadModelLookups } from '../../lookups/read-model-lookups';
import { decideUnlink, NO_DEPENDENTS, productEvolver } from '../product.aggregate';
import { type ProductUnlinkAnswer, UnlinkProductFromStripe } from './unlink-product-from-stripe.command';

@CommandHandler(UnlinkProductFromStripe)
export class UnlinkProductFromStripeHandler implements ICommandHandler<UnlinkProductFromStripe, ProductUnlinkAnswer> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly lookups: ReadModelLookups,
  ) {}

  async execute({ context, productId }: UnlinkProductFromStripe): Promise<ProductUnlinkAnswer> {
    const { decided } = await this.aggregates.decideAndAppend(context, {
      name: `product ${productId}`,
      read: () => this.aggregates.load(productStream(productId), productEvolver),
      decide: async ({ state }) => {
        const dependents = state.link ? await this.lookups.subscriptionsEntitledTo(state.link) : NO_DEPENDENTS;
        return decideUnlink(state, productId, dependents);
      },
    });
    const { stripeProductId, stripeAccount } = decided[0]!.data as ProductUnlinkedFromStripe;
    return {
      productId,
      stripeProductId,
      account: stripeAccount,
      unlinkedAt: context.issuedAt.toISOString(),
      unlinkedBy: context.actor,
    };
  }
}
