import type Stripe from 'stripe';
import {
  type RenewalChargeLinkedToStripe,
  SUBSCRIPTION_METADATA,
  type SubscriptionAddressChanged,
  type SubscriptionCancellationRequested,
  type SubscriptionLinkedToStripe,
  type SubscriptionPlanChanged,
  type SubscriptionRenewalPrepaid,
  type SubscriptionShipmentsRemainingChanged,
  type SubscriptionStarted,
} from '@ledgerline/events';
import { CannotSync, completed, type Outcome, type SyncContext, type SyncOperation } from './sync-operation';

async function linkedSubscription(context: SyncContext, subscriptionId: string, operation: string): Promise<string> {
  const id = await context.subscriptionStripeId(subscriptionId);
  if (!id) throw new CannotSync(operation, 'the subscription is not in Stripe (its creation failed or never ran)');
  return id;
}

async function firstStripeCustomer(context: SyncContext, customerId: string, operation: string): Promise<string> {
  const [id] = await context.customerStripeIds(customerId);
  if (!id)
    throw new CannotSync(operation, `customer ${customerId} is not in Stripe (its creation failed or never ran)`);
  return id;
}

/** Platform facts that travel in the Stripe subscription's metadata (Stripe merges the keys). */
async function updateMetadata(
  context: SyncContext,
  subscriptionId: string,
  customerId: string | null,
  metadata: Record<string, string>,
): Promise<Outcome> {
  const id = await linkedSubscription(context, subscriptionId, 'POST /v1/subscriptions/:id');
  await context.call(`POST /v1/subscriptions/${id}`, 'update', (options) =>
    context.stripe.subscriptions.update(id, { metadata }, options),
  );
  return completed(context, { subscription: id }, customerId);
}

export function startParams(data: SubscriptionStarted, customer: string): Stripe.SubscriptionCreateParams {
  const metadata: Record<string, string> = {
    [SUBSCRIPTION_METADATA.subscriptionId]: data.subscriptionId,
    [SUBSCRIPTION_METADATA.customerId]: data.customerId,
  };
  if (data.giftRecipientId) metadata[SUBSCRIPTION_METADATA.giftRecipient] = data.giftRecipientId;
  if (data.shipmentsRemaining !== null)
    metadata[SUBSCRIPTION_METADATA.shipmentsRemaining] = String(data.shipmentsRemaining);
  if (data.shippingAddress) metadata[SUBSCRIPTION_METADATA.shippingAddress] = JSON.stringify(data.shippingAddress);
  if (data.collection === 'offline') metadata[SUBSCRIPTION_METADATA.payment] = 'offline';
  return {
    customer,
    items: [{ price: data.item.priceId }],
    collection_method: data.collection === 'card_on_file' ? 'charge_automatically' : 'send_invoice',
    ...(data.daysUntilDue !== null && data.collection !== 'card_on_file' ? { days_until_due: data.daysUntilDue } : {}),
    ...(data.trialDays ? { trial_period_days: data.trialDays } : {}),
    ...(data.couponId ? { discounts: [{ coupon: data.couponId }] } : {}),
    metadata,
  };
}

export const SUBSCRIPTION_OPERATIONS: Record<string, SyncOperation> = {
  async SubscriptionStarted(context) {
    const data = context.event.data as SubscriptionStarted;
    const operation = 'POST /v1/subscriptions';
    const customer = data.customerStripeId ?? (await firstStripeCustomer(context, data.customerId, operation));
    const subscription = await context.call(operation, 'create', (options) =>
      context.stripe.subscriptions.create(startParams(data, customer), options),
    );
    const linked: SubscriptionLinkedToStripe = {
      subscriptionId: data.subscriptionId,
      customerId: data.customerId,
      stripeSubscriptionId: subscription.id,
      commandEventId: context.event.id,
    };
    return { type: 'SubscriptionLinkedToStripe', data: { ...linked } };
  },

  SubscriptionAddressChanged(context) {
    const data = context.event.data as SubscriptionAddressChanged;
    return updateMetadata(context, data.subscriptionId, data.customerId, {
      [SUBSCRIPTION_METADATA.shippingAddress]: JSON.stringify(data.shippingAddress),
    });
  },

  SubscriptionShipmentsRemainingChanged(context) {
    const data = context.event.data as SubscriptionShipmentsRemainingChanged;
    return updateMetadata(context, data.subscriptionId, data.customerId, {
      [SUBSCRIPTION_METADATA.shipmentsRemaining]: String(data.shipmentsRemaining),
    });
  },

  async SubscriptionCancellationRequested(context) {
    const data = context.event.data as SubscriptionCancellationRequested;
    const id = await linkedSubscription(context, data.subscriptionId, 'DELETE /v1/subscriptions/:id');
    if (data.when === 'now') {
      await context.call(`DELETE /v1/subscriptions/${id}`, 'cancel', (options) =>
        context.stripe.subscriptions.cancel(
          id,
          data.reason ? { cancellation_details: { comment: data.reason } } : {},
          options,
        ),
      );
    } else {
      await context.call(`POST /v1/subscriptions/${id}`, 'cancel-at-period-end', (options) =>
        context.stripe.subscriptions.update(id, { cancel_at_period_end: true }, options),
      );
    }
    return completed(context, { subscription: id }, data.customerId);
  },

  /** Cancel the old subscription, then credit the balance the new one (started by the next event) draws on. */
  async SubscriptionPlanChanged(context) {
    const data = context.event.data as SubscriptionPlanChanged;
    const id = await linkedSubscription(context, data.subscriptionId, 'DELETE /v1/subscriptions/:id');
    await context.call(`DELETE /v1/subscriptions/${id}`, 'cancel', (options) =>
      context.stripe.subscriptions.cancel(
        id,
        { prorate: false, cancellation_details: { comment: 'plan change' } },
        options,
      ),
    );
    const stripeIds: Record<string, string> = { subscription: id };
    if (data.creditAmount > 0) {
      const customer = await firstStripeCustomer(
        context,
        data.customerId,
        'POST /v1/customers/:id/balance_transactions',
      );
      const credit = await context.call(`POST /v1/customers/${customer}/balance_transactions`, 'credit', (options) =>
        context.stripe.customers.createBalanceTransaction(
          customer,
          {
            amount: -data.creditAmount,
            currency: data.currency,
            description: `Plan change credit (${data.refundPolicy}) from ${data.fromPriceId ?? id} to ${data.toPriceId}`,
            metadata: { ledgerline_command_id: context.event.id, ledgerline_subscription_id: data.subscriptionId },
          },
          options,
        ),
      );
      stripeIds.balanceTransaction = credit.id;
    }
    return completed(context, stripeIds, data.customerId);
  },

  /** Charge upon renewal: charge the card now; only once it succeeded, credit the balance by as much. */
  async SubscriptionRenewalPrepaid(context) {
    const data = context.event.data as SubscriptionRenewalPrepaid;
    const customer = await firstStripeCustomer(context, data.customerId, 'POST /v1/payment_intents');
    const card = await context.cardOnFile(await context.customerStripeIds(data.customerId));
    if (!card) throw new CannotSync('POST /v1/payment_intents', 'the customer has no card on file');
    const metadata = { ledgerline_command_id: context.event.id, ledgerline_subscription_id: data.subscriptionId };
    const intent = await context.call('POST /v1/payment_intents', 'charge', (options) =>
      context.stripe.paymentIntents.create(
        {
          customer,
          amount: data.amount,
          currency: data.currency,
          payment_method: card,
          confirm: true,
          off_session: true,
          description: `Renewal paid ahead (charge upon renewal) for ${data.renewsAt ?? 'the next period'}`,
          metadata,
        },
        options,
      ),
    );
    if (intent.status !== 'succeeded') {
      throw new CannotSync(
        'POST /v1/payment_intents',
        `the renewal charge ${intent.id} is ${intent.status}, not succeeded`,
      );
    }
    const credit = await context.call(`POST /v1/customers/${customer}/balance_transactions`, 'credit', (options) =>
      context.stripe.customers.createBalanceTransaction(
        customer,
        { amount: -data.amount, currency: data.currency, description: `Renewal paid ahead by ${intent.id}`, metadata },
        options,
      ),
    );
    const linked: RenewalChargeLinkedToStripe = {
      subscriptionId: data.subscriptionId,
      customerId: data.customerId,
      commandEventId: context.event.id,
      stripePaymentIntentId: intent.id,
      stripeBalanceTransactionId: credit.id,
    };
    return { type: 'RenewalChargeLinkedToStripe', data: { ...linked } };
  },
};
