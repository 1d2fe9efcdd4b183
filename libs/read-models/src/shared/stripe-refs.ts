import { isUuid, uuidV5 } from '@ledgerline/event-store';
import { refId, str, time } from '@ledgerline/events';

export { refId };

/** A Stripe Event as the read models see it (the store event's data for `source: stripe | backfill`). */
export interface StripeEventData {
  id?: string;
  type?: string;
  created?: number;
  account?: string | null;
  data?: { object?: Record<string, unknown> | null; previous_attributes?: Record<string, unknown> | null } | null;
}

/** Namespace of platform customer ids derived from Stripe customer ids (UUID v5). */
export const CUSTOMER_ID_NAMESPACE = '1b0f4f8e-5a2c-4c55-9d7e-3b1f6c2a9e41';

/** Metadata key through which a Stripe customer names the platform customer it belongs to. */
export const PLATFORM_CUSTOMER_METADATA_KEY = 'ledgerline_customer_id';

/** The Stripe customer an object belongs to: the customer itself, or its `customer` field. */
export function customerStripeIdOf(object: Record<string, unknown>): string | null {
  if (object.object === 'customer') return refId(object.id);
  return refId(object.customer);
}

/**
 * The platform id of a Stripe customer. A customer the platform created carries its platform id in
 * metadata, so both are one record; any other Stripe customer gets a stable id derived from its
 * account and Stripe id, the same on every replay.
 */
export function platformCustomerId(stripeCustomerId: string, account: string | null, metadata?: unknown): string {
  const named =
    typeof metadata === 'object' && metadata !== null
      ? (metadata as Record<string, unknown>)[PLATFORM_CUSTOMER_METADATA_KEY]
      : undefined;
  if (typeof named === 'string' && isUuid(named)) return named.toLowerCase();
  return uuidV5(`${account ?? 'platform'}/${stripeCustomerId}`, CUSTOMER_ID_NAMESPACE);
}

/** The Stripe object and envelope of a store event, or null for platform events and objectless ones. */
export function stripeObjectOf(event: {
  data: unknown;
  metadata: { source?: unknown };
}): { payload: StripeEventData; object: Record<string, unknown> } | null {
  const source = event.metadata.source;
  if (source !== 'stripe' && source !== 'backfill') return null;
  const payload = event.data as StripeEventData;
  const object = payload.data?.object;
  if (!object || typeof object !== 'object') return null;
  return { payload, object };
}

/** When a Stripe event happened: Stripe's `created`, else the metadata's `occurredAt`, else when it was recorded. */
export function stripeOccurredAt(
  event: { metadata: { occurredAt?: unknown; recordedAt: string } },
  payload: StripeEventData | undefined,
): string {
  return time(payload?.created) ?? str(event.metadata.occurredAt) ?? event.metadata.recordedAt;
}
