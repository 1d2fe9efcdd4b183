import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { paymentStream, type RefundRequested } from '@ledgerline/events';
import { moneyText } from '@ledgerline/read-models';
import { AggregateStore } from '../../command-handling/aggregate-store';
import { newIdFor } from '../../command-handling/command-context';
import { CommandRejected } from '../../command-handling/command-errors';
import { type CommandResult, commandResult } from '../../command-handling/command-result';
import { ReadModelLookups } from '../../lookups/read-model-lookups';
import { paymentEvolver, refundable } from '../payment.aggregate';
import { RefundPayment } from './refund-payment.command';

@CommandHandler(RefundPayment)
export class RefundPaymentHandler implements ICommandHandler<RefundPayment, CommandResult> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly lookups: ReadModelLookups,
  ) {}

  async execute({ context, paymentId, amount, reason }: RefundPayment): Promise<CommandResult> {
    const payment = await this.lookups.payment(paymentId);
    if (!payment) throw CommandRejected.notFound(`Payment ${paymentId} not found`);
    const isIntent = payment.object === 'payment_intent';
    const chargeId = isIntent ? ((payment.latestChargeId as string | null) ?? null) : payment.id;
    const intentId = isIntent ? payment.id : ((payment.paymentIntentId as string | null) ?? null);
    const captured = Number(isIntent ? payment.amountReceived : (payment.amountCaptured ?? payment.amount)) || 0;
    const status = String(payment.status ?? '');
    if (!['succeeded', 'paid'].includes(status) || captured <= 0) {
      throw CommandRejected.conflict(
        `Payment ${paymentId} has not succeeded (status ${status || 'unknown'}): nothing to refund`,
      );
    }
    const customerStripeId = (payment.customerStripeId as string | null) ?? null;
    const customerId = await this.lookups.customerIdOf(customerStripeId);
    const refundRequestId = newIdFor(context, 'refund');
    const { events } = await this.aggregates.decideAndAppend(context, {
      read: () => this.aggregates.load(paymentStream(paymentId), paymentEvolver),
      decide: async ({ state }) => {
        const ids = [chargeId, intentId].filter((id): id is string => id !== null);
        const left = refundable(captured, state, await this.lookups.stripeRefunds(ids));
        const asked = amount ?? left;
        if (left <= 0) throw CommandRejected.conflict(`Payment ${paymentId} is already fully refunded`);
        if (asked > left) {
          // In the customer's money, as support reads it: "$9.99 is more than the $5.99 left to refund".
          const inMoney = (minor: number) => moneyText(minor, payment.currency) ?? String(minor);
          throw CommandRejected.invalid(`${inMoney(asked)} is more than the ${inMoney(left)} left to refund`);
        }
        const data: RefundRequested = {
          paymentId,
          refundRequestId,
          chargeId,
          paymentIntentId: intentId,
          customerId,
          amount: asked,
          currency: String(payment.currency),
          reason,
        };
        return [{ type: 'RefundRequested', data }];
      },
    });
    return commandResult(context, refundRequestId, events);
  }
}
