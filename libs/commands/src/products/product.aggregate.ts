import type { ProductLinkedToStripe, ProductUnlinkedFromStripe } from '@ledgerline/events';
import type { EntitledSubscriptions, StripeProductRef } from '@ledgerline/read-models';
import type { CommandContext } from '../command-handling/command-context';
import { CommandRejected } from '../command-handling/command-errors';
import type { DecidedEvent, Evolver } from '../command-handling/decider';

/** The current link of a platform product, with when and by whom it was made (from the event's metadata). */
export interface ProductLink extends StripeProductRef {
  linkedAt: string | null;
  linkedBy: string | null;
}

export interface ProductState {
  link: ProductLink | null;
}

/** Events as folded here: with their metadata when they have been stored (or are being decided). */
type ProductEvent = { type: string; data: unknown; metadata?: { occurredAt?: string; actor?: string } };

/** The product aggregate: a platform product's link to a Stripe product, folded from `product-<id>`. */
export const productEvolver: Evolver<ProductState> = {
  initialState: () => ({ link: null }),
  evolve: (state, event) => evolveProduct(state, event),
};

function evolveProduct(state: ProductState, event: ProductEvent): ProductState {
  switch (event.type) {
    case 'ProductLinkedToStripe': {
      const { stripeProductId, stripeAccount } = event.data as ProductLinkedToStripe;
      const linkedAt = event.metadata?.occurredAt ?? null;
      return { link: { stripeProductId, stripeAccount, linkedAt, linkedBy: event.metadata?.actor ?? null } };
    }
    case 'ProductUnlinkedFromStripe':
      return { link: null };
    default:
      return state;
  }
}

/** The state after a command's own events, stamped with its time and actor as the store will. */
export function stateAfter(state: ProductState, decided: DecidedEvent[], context: CommandContext): ProductState {
  const metadata = { occurredAt: context.issuedAt.toISOString(), actor: context.actor };
  return decided.reduce((held, event) => evolveProduct(held, { ...event, metadata }), state);
}

export function isSameStripeProduct(a: StripeProductRef, b: StripeProductRef): boolean {
  return a.stripeProductId === b.stripeProductId && a.stripeAccount === b.stripeAccount;
}

/** What a link decision needs from the read models (as fresh as they are). */
export interface LinkFacts {
  /** Another platform product the wanted Stripe product is linked to already, if any. */
  linkedElsewhere: string | null;
  /** Subscriptions that give access through the current link (none when there is no link). */
  dependents: EntitledSubscriptions;
}

export const NO_DEPENDENTS: EntitledSubscriptions = { count: 0, subscriptionIds: [] };

/** Links a product, or moves its link; the same link again decides nothing (a repeated PUT is a no-op). */
export function decideLink(
  state: ProductState,
  productId: string,
  wanted: StripeProductRef,
  facts: LinkFacts,
): DecidedEvent[] {
  const current = state.link;
  if (current && isSameStripeProduct(current, wanted)) return [];
  if (facts.linkedElsewhere) {
    throw CommandRejected.conflict(
      `Stripe product ${describe(wanted)} is already linked to product ${facts.linkedElsewhere}; ` +
        `unlink it from ${facts.linkedElsewhere} first`,
    );
  }
  if (current) refuseWhileDepended(productId, current, facts.dependents, 'linked to another Stripe product');
  const data: ProductLinkedToStripe = {
    productId,
    stripeProductId: wanted.stripeProductId,
    stripeAccount: wanted.stripeAccount,
    previousStripeProductId: current?.stripeProductId ?? null,
  };
  return [{ type: 'ProductLinkedToStripe', data }];
}

export function decideUnlink(
  state: ProductState,
  productId: string,
  dependents: EntitledSubscriptions,
): DecidedEvent[] {
  const current = state.link;
  if (!current) throw CommandRejected.notFound(`Product ${productId} is not linked to a Stripe product`);
  refuseWhileDepended(productId, current, dependents, 'unlinked');
  const data: ProductUnlinkedFromStripe = {
    productId,
    stripeProductId: current.stripeProductId,
    stripeAccount: current.stripeAccount,
  };
  return [{ type: 'ProductUnlinkedFromStripe', data }];
}

/** Customers with running subscriptions get their access through the link: it stays until they end. */
function refuseWhileDepended(
  productId: string,
  link: StripeProductRef,
  dependents: EntitledSubscriptions,
  what: string,
): void {
  if (dependents.count === 0) return;
  const shown = dependents.subscriptionIds.join(', ');
  const more = dependents.count > dependents.subscriptionIds.length ? ', ...' : '';
  const subscriptions =
    dependents.count === 1 ? '1 active subscription gives' : `${dependents.count} active subscriptions give`;
  throw CommandRejected.conflict(
    `Product ${productId} cannot be ${what}: ${subscriptions} access to Stripe product ${describe(link)} ` +
      `through its link (${shown}${more}). Cancel them or wait until they end, then try again`,
  );
}

function describe(stripe: StripeProductRef): string {
  return stripe.stripeAccount ? `${stripe.stripeProductId} (account ${stripe.stripeAccount})` : stripe.stripeProductId;
}
