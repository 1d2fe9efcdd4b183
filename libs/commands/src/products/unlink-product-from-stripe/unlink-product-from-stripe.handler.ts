import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { productStream, type ProductUnlinkedFromStripe } from '@ledgerline/events';
import { AggregateStore, CONCURRENCY_ATTEMPTS } from '../../command-handling/aggregate-store';
import { retryOnConflict } from '../../command-handling/retry-on-conflict';
import { ReadModelLookups } from '../../lookups/read-model-lookups';
import { decideUnlink, NO_DEPENDENTS, productEvolver } from '../product.aggregate';
import { type ProductUnlinkAnswer, UnlinkProductFromStripe } from './unlink-product-from-stripe.command';

@CommandHandler(UnlinkProductFromStripe)
export class UnlinkProductFromStripeHandler implements ICommandHandler<UnlinkProductFromStripe, ProductUnlinkAnswer> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly lookups: ReadModelLookups,
  ) {}

  execute({ context, productId }: UnlinkProductFromStripe): Promise<ProductUnlinkAnswer> {
    const stream = productStream(productId);
    return retryOnConflict(CONCURRENCY_ATTEMPTS, `product ${productId}`, async () => {
      const { state, revision } = await this.aggregates.load(stream, productEvolver);
      const dependents = state.link ? await this.lookups.subscriptionsEntitledTo(state.link) : NO_DEPENDENTS;
      const decided = decideUnlink(state, productId, dependents);
      await this.aggregates.append(stream, decided, context, revision);
      const { stripeProductId, stripeAccount } = decided[0]!.data as ProductUnlinkedFromStripe;
      return {
        productId,
        stripeProductId,
        account: stripeAccount,
        unlinkedAt: context.issuedAt.toISOString(),
        unlinkedBy: context.actor,
      };
    });
  }
}
