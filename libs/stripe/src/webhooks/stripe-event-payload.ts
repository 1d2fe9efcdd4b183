/** A Stripe Event as parsed from a webhook body (or shaped like one by a backfill): untrusted JSON. */
export interface StripeEventPayload {
  id: string;
  object: 'event';
  type: string;
  account?: string | null;
  api_version?: string | null;
  created?: number;
  livemode?: boolean;
  request?: string | { id?: string | null; idempotency_key?: string | null } | null;
  data?: { object?: Record<string, unknown> | null; [key: string]: unknown } | null;
  [key: string]: unknown;
}
