import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { productStream } from '@ledgerline/events';
import { AggregateStore } from '../../command-handling/aggregate-store';
import { ReadModelLookups } from '../../lookups/read-model-lookups';
import {
  decideLink,
  isSameStripeProduct,
  type LinkFacts,
  NO_DEPENDENTS,
  type ProductState,
  productEvolver,
  stateAfter,
} from '../product.aggregate';
import { LinkProductToStripe, type ProductLinkAnswer } from './link-product-to-stripe.command';

@CommandHandler(LinkProductToStripe)
export class LinkProductToStripeHandler implements ICommandHandler<LinkProductToStripe, ProductLinkAnswer> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly lookups: ReadModelLookups,
  ) {}

  async execute({ context, productId, stripe }: LinkProductToStripe): Promise<ProductLinkAnswer> {
    const stream = productStream(productId);
    // The one-product-per-Stripe-product check reads product_links: let it see every link stored so far.
    await this.lookups.awaitProductLinks();
    const { aggregate, decided } = await this.aggregates.decideAndAppend(context, {
      name: `product ${productId}`,
      read: () => this.aggregates.load(stream, productEvolver),
      decide: async ({ state }) => decideLink(state, productId, stripe, await this.factsFor(state, productId, stripe)),
    });
    // A repeated link decides nothing and answers the link as it was made: when, and by whom.
    const link = stateAfter(aggregate.state, decided, context).link!;
    return {
      productId,
      stripeProductId: link.stripeProductId,
      account: link.stripeAccount,
      linkedAt: link.linkedAt,
      linkedBy: link.linkedBy,
    };
  }

  private async factsFor(
    state: ProductState,
    productId: string,
    wanted: LinkProductToStripe['stripe'],
  ): Promise<LinkFacts> {
    if (state.link && isSameStripeProduct(state.link, wanted))
      return { linkedElsewhere: null, dependents: NO_DEPENDENTS };
    return {
      linkedElsewhere: await this.lookups.productLinkedTo(wanted, productId),
      dependents: state.link ? await this.lookups.subscriptionsEntitledTo(state.link) : NO_DEPENDENTS,
    };
  }
}
