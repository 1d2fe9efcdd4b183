import type { RefundLinkedToStripe, RefundRequested, StripeSyncFailed } from '@ledgerline/events';
import type { Evolver } from '../command-handling/decider';

export interface RequestedRefund {
  refundRequestId: string;
  eventId: string | null;
  amount: number;
  stripeRefundId: string | null;
  failed: boolean;
}

/** Refunds the platform asked for on one payment, folded from `payment-<ch_ or pi_ id>`. */
export interface PaymentState {
  refunds: RequestedRefund[];
}

export const paymentEvolver: Evolver<PaymentState> = {
  initialState: () => ({ refunds: [] }),
  evolve(state, event) {
    const recorded = event as { id?: string; type: string; data: unknown };
    switch (event.type) {
      case 'RefundRequested': {
        const data = event.data as RefundRequested;
        const refund = {
          refundRequestId: data.refundRequestId,
          eventId: recorded.id ?? null,
          amount: data.amount,
          stripeRefundId: null,
          failed: false,
        };
        return { refunds: [...state.refunds, refund] };
      }
      case 'RefundLinkedToStripe': {
        const data = event.data as RefundLinkedToStripe;
        return {
          refunds: state.refunds.map((r) =>
            r.refundRequestId === data.refundRequestId ? { ...r, stripeRefundId: data.stripeRefundId } : r,
          ),
        };
      }
      case 'StripeSyncFailed': {
        const data = event.data as StripeSyncFailed;
        return { refunds: state.refunds.map((r) => (r.eventId === data.commandEventId ? { ...r, failed: true } : r)) };
      }
      default:
        return state;
    }
  },
};

/**
 * What can still be refunded: the amount captured, less every refund Stripe holds, less the
 * platform's requests Stripe does not show yet (in flight), so two quick refunds cannot overdraw.
 */
export function refundable(
  captured: number,
  state: PaymentState,
  stripeRefunds: { id: string; amount: number }[],
): number {
  const known = new Set(stripeRefunds.map((refund) => refund.id));
  const inStripe = stripeRefunds.reduce((sum, refund) => sum + refund.amount, 0);
  const inFlight = state.refunds
    .filter((refund) => !refund.failed && (refund.stripeRefundId === null || !known.has(refund.stripeRefundId)))
    .reduce((sum, refund) => sum + refund.amount, 0);
  return captured - inStripe - inFlight;
}
