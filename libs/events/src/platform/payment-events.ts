/** Platform events of a payment (stream `payment-<Stripe charge or payment intent id>`). */

export const PAYMENT_STREAM_CATEGORY = 'payment';

export interface RefundRequested {
  /** The `ch_` or `pi_` id the refund was asked for. */
  paymentId: string;
  refundRequestId: string;
  chargeId: string | null;
  paymentIntentId: string | null;
  customerId: string | null;
  amount: number;
  currency: string;
  /** Stripe's refund reasons: duplicate, fraudulent, requested_by_customer; or null. */
  reason: string | null;
}

export interface RefundLinkedToStripe {
  paymentId: string;
  customerId: string | null;
  refundRequestId: string;
  stripeRefundId: string;
  commandEventId: string;
}

/**
 * Metadata the Stripe sync sets on the refunds it creates: how the read models and reconciliation
 * tell a refund the platform asked for from one made in Stripe.
 */
export const REFUND_METADATA = {
  /** The store id of the command event (RefundRequested) the refund carries out. */
  commandEventId: 'ledgerline_command_id',
  refundRequestId: 'ledgerline_refund_request_id',
} as const;

export const PAYMENT_EVENT_TYPES = ['RefundRequested', 'RefundLinkedToStripe'] as const;

export function paymentStream(paymentId: string): string {
  return `${PAYMENT_STREAM_CATEGORY}-${paymentId}`;
}
