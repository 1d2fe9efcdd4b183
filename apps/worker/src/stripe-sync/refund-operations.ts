import { REFUND_METADATA, type RefundLinkedToStripe, type RefundRequested } from '@ledgerline/events';
import type { SyncOperation } from './sync-operation';

export const REFUND_OPERATIONS: Record<string, SyncOperation> = {
  async RefundRequested(context) {
    const data = context.event.data as RefundRequested;
    const refund = await context.call('POST /v1/refunds', 'refund', (options) =>
      context.stripe.refunds.create(
        {
          ...(data.chargeId ? { charge: data.chargeId } : { payment_intent: data.paymentIntentId! }),
          amount: data.amount,
          ...(data.reason ? { reason: data.reason as 'duplicate' | 'fraudulent' | 'requested_by_customer' } : {}),
          // How the payments read model tells a platform refund from one made in Stripe.
          metadata: {
            [REFUND_METADATA.commandEventId]: context.event.id,
            [REFUND_METADATA.refundRequestId]: data.refundRequestId,
          },
        },
        options,
      ),
    );
    const linked: RefundLinkedToStripe = {
      paymentId: data.paymentId,
      customerId: data.customerId,
      refundRequestId: data.refundRequestId,
      stripeRefundId: refund.id,
      commandEventId: context.event.id,
    };
    return { type: 'RefundLinkedToStripe', data: { ...linked } };
  },
};
