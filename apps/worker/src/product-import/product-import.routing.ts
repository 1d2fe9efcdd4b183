import type { LedgerlineEventType } from '@ledgerline/events';

/** A product newly linked to a Stripe product starts an import of its customers and subscriptions. */
export const PRODUCT_IMPORT_HANDLES = ['ProductLinkedToStripe'] as const satisfies readonly LedgerlineEventType[];
