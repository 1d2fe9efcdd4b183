import type {
  PaymentCollection,
  PostalAddress,
  PricedItem,
  SubscriptionAddressChanged,
  SubscriptionCancellationRequested,
  SubscriptionLinkedToStripe,
  SubscriptionRenewalPrepaid,
  SubscriptionShipmentsRemainingChanged,
  SubscriptionStarted,
} from '@ledgerline/events';
import type { Evolver } from '../command-handling/decider';

export interface SubscriptionState {
  /** The platform's view: `replaced` after a plan change, `canceled` after a cancel-now request. */
  status: 'unknown' | 'started' | 'canceled' | 'replaced';
  customerId: string | null;
  stripeSubscriptionId: string | null;
  item: PricedItem | null;
  collection: PaymentCollection | null;
  giftRecipientId: string | null;
  shippingAddress: PostalAddress | null;
  shipmentsRemaining: number | null;
  cancelAtPeriodEnd: boolean;
  /** Period ends already paid ahead by "renew with charge upon renewal". */
  prepaidRenewals: (string | null)[];
}

/** The subscription aggregate, folded from `subscription-<id>`. */
export const subscriptionEvolver: Evolver<SubscriptionState> = {
  initialState: () => ({
    status: 'unknown',
    customerId: null,
    stripeSubscriptionId: null,
    item: null,
    collection: null,
    giftRecipientId: null,
    shippingAddress: null,
    shipmentsRemaining: null,
    cancelAtPeriodEnd: false,
    prepaidRenewals: [],
  }),
  evolve(state, event) {
    switch (event.type) {
      case 'SubscriptionStarted': {
        const data = event.data as SubscriptionStarted;
        return {
          ...state,
          status: 'started',
          customerId: data.customerId,
          item: data.item,
          collection: data.collection,
          giftRecipientId: data.giftRecipientId,
          shippingAddress: data.shippingAddress,
          shipmentsRemaining: data.shipmentsRemaining,
        };
      }
      case 'SubscriptionAddressChanged':
        return { ...state, shippingAddress: (event.data as SubscriptionAddressChanged).shippingAddress };
      case 'SubscriptionShipmentsRemainingChanged':
        return {
          ...state,
          shipmentsRemaining: (event.data as SubscriptionShipmentsRemainingChanged).shipmentsRemaining,
        };
      case 'SubscriptionCancellationRequested': {
        const now = (event.data as SubscriptionCancellationRequested).when === 'now';
        return { ...state, status: now ? 'canceled' : state.status, cancelAtPeriodEnd: !now };
      }
      case 'SubscriptionPlanChanged':
        return { ...state, status: 'replaced' };
      case 'SubscriptionRenewalPrepaid':
        return {
          ...state,
          prepaidRenewals: [...state.prepaidRenewals, (event.data as SubscriptionRenewalPrepaid).renewsAt],
        };
      case 'SubscriptionLinkedToStripe':
        return { ...state, stripeSubscriptionId: (event.data as SubscriptionLinkedToStripe).stripeSubscriptionId };
      default:
        return state;
    }
  },
};

/** The Stripe subscription a stream stands for: linked by the process manager, or the stream's own `sub_` id. */
export function stripeSubscriptionIdOf(subscriptionId: string, state: SubscriptionState): string | null {
  return state.stripeSubscriptionId ?? (subscriptionId.startsWith('sub_') ? subscriptionId : null);
}
