import type { LedgerlineEventType } from '@ledgerline/events';

/**
 * The platform commands the Stripe sync carries out on Stripe: the keys of its OPERATIONS
 * (stripe-sync.ts), written out so a search for a type finds this process manager.
 */
export const STRIPE_SYNC_HANDLES = [
  'CustomerRegistered',
  'CustomerDetailsChanged',
  'CustomerDeleted',
  'SubscriptionStarted',
  'SubscriptionAddressChanged',
  'SubscriptionShipmentsRemainingChanged',
  'SubscriptionCancellationRequested',
  'SubscriptionPlanChanged',
  'SubscriptionRenewalPrepaid',
  'RefundRequested',
] as const satisfies readonly LedgerlineEventType[];
