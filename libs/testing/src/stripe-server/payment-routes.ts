import type { FormParams } from './form-body';
import { listObjects } from './list-query';
import { callMock, requireCustomer, route, type Route, type RouteContext } from './routing';
import { patchObject } from './state';
import {
  bool,
  int,
  invalidRequest,
  isError,
  mergeMetadata,
  missingParam,
  newId,
  nowSeconds,
  ok,
  Refusal,
  resourceMissing,
  str,
  type StripeObject,
  type StripeReply,
} from './stripe-objects';

/** Stripe's test payment methods, mapped onto the mock's card tokens so declines make failed charges. */
const TEST_TOKENS: Record<string, string> = {
  pm_card_chargeDeclined: 'tok_chargeDeclined',
  pm_card_visa_chargeDeclined: 'tok_chargeDeclined',
  pm_card_chargeDeclinedInsufficientFunds: 'tok_chargeDeclinedInsufficientFunds',
  pm_card_chargeDeclinedFraudulent: 'tok_chargeDeclinedFraudulent',
  pm_card_chargeDeclinedExpiredCard: 'tok_chargeDeclinedExpiredCard',
  pm_card_chargeDeclinedIncorrectCvc: 'tok_chargeDeclinedIncorrectCvc',
  pm_card_mastercard: 'tok_mastercard',
  pm_card_amex: 'tok_amex',
};

/** PaymentIntents are ours; each confirmation charges through the mock so refunds work on it. */
export const paymentRoutes: Route[] = [
  route('POST', '/v1/payment_intents', async (ctx) => {
    const { params } = ctx;
    const amount = int(params.amount);
    if (amount === undefined) return missingParam('amount');
    const currency = str(params.currency)?.toLowerCase();
    if (!currency) return missingParam('currency');
    const customer = str(params.customer);
    if (customer) await requireCustomer(ctx, customer);
    const id = newId('pi');
    const paymentMethod = str(params.payment_method) ?? null;
    const intent: StripeObject = {
      id,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: null,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: 'automatic',
      client_secret: `${id}_secret_${newId('x').slice(2, 26)}`,
      confirmation_method: 'automatic',
      created: nowSeconds(),
      currency,
      customer: customer ?? null,
      customer_account: null,
      description: str(params.description) ?? null,
      excluded_payment_method_types: null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: mergeMetadata({}, params.metadata),
      next_action: null,
      on_behalf_of: null,
      payment_method: paymentMethod,
      payment_method_configuration_details: null,
      payment_method_options: null,
      payment_method_types: ['card'],
      processing: null,
      receipt_email: str(params.receipt_email) ?? null,
      review: null,
      setup_future_usage: str(params.setup_future_usage) ?? null,
      shipping: null,
      source: null,
      statement_descriptor: str(params.statement_descriptor) ?? null,
      statement_descriptor_suffix: str(params.statement_descriptor_suffix) ?? null,
      status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
      transfer_data: null,
      transfer_group: null,
    };
    if (bool(params.confirm)) return confirm(ctx, intent, paymentMethod);
    ctx.state.paymentIntents.set(id, intent);
    return ok(intent);
  }),
  route('GET', '/v1/payment_intents', async ({ params, state }) =>
    listObjects('/v1/payment_intents', [...state.paymentIntents.values()].reverse(), params, {
      noun: 'payment_intent',
      fields: ['customer'],
      ordered: true,
    }),
  ),
  route('GET', '/v1/payment_intents/:id', async (ctx) => ok(requireIntent(ctx))),
  route('POST', '/v1/payment_intents/:id', async (ctx) => {
    const intent = requireIntent(ctx);
    intent.metadata = mergeMetadata(intent.metadata, ctx.params.metadata);
    if (ctx.params.description !== undefined) intent.description = str(ctx.params.description) || null;
    return ok(intent);
  }),
  route('POST', '/v1/payment_intents/:id/confirm', async (ctx) => {
    const intent = requireIntent(ctx);
    if (intent.status !== 'requires_payment_method' && intent.status !== 'requires_confirmation') {
      return invalidRequest(
        `This PaymentIntent's payment_method could not be updated because it has a status of ${intent.status}.`,
        { code: 'payment_intent_unexpected_state' },
      );
    }
    return confirm(ctx, intent, str(ctx.params.payment_method) ?? (intent.payment_method as string | null));
  }),
  route('POST', '/v1/refunds', async (ctx) => {
    const params: FormParams = { ...ctx.params };
    const intentId = str(params.payment_intent);
    if (intentId) {
      // The mock refunds charges only: a PaymentIntent is refunded through its charge.
      const intent = ctx.state.paymentIntents.get(intentId);
      if (!intent) return resourceMissing('payment_intent', intentId, 'payment_intent');
      if (intent.status !== 'succeeded') {
        return invalidRequest(`This PaymentIntent (${intentId}) does not have a successful charge to refund.`, {
          code: 'charge_not_refundable',
        });
      }
      delete params.payment_intent;
      params.charge = String(intent.latest_charge);
    }
    const reply = await callMock(ctx, 'POST', '/v1/refunds', params);
    if (isError(reply)) return reply;
    const refund = reply.body as StripeObject;
    const ofIntent = ctx.state.patches.get(String(refund.charge))?.payment_intent;
    if (!ofIntent) return reply;
    patchObject(ctx.state, refund.id, { payment_intent: ofIntent });
    return ok({ ...refund, payment_intent: ofIntent });
  }),
];

function requireIntent(ctx: RouteContext): StripeObject {
  const intent = ctx.state.paymentIntents.get(ctx.ids[0]!);
  if (!intent) throw new Refusal(resourceMissing('payment_intent', ctx.ids[0]!, 'intent'));
  return intent;
}

/**
 * Like Stripe, a missing payment method falls back to the customer's `default_source` only (not to
 * `invoice_settings.default_payment_method`, which only invoices use).
 */
async function confirm(ctx: RouteContext, intent: StripeObject, given: string | null): Promise<StripeReply> {
  const customerId = intent.customer as string | null;
  const customer = customerId ? await requireCustomer(ctx, customerId) : undefined;
  const paymentMethod = given ?? (customer?.default_source as string | null | undefined) ?? null;
  if (!paymentMethod) {
    return invalidRequest(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      { code: 'payment_intent_unexpected_state' },
    );
  }
  if (!/^(pm|card|src)_/.test(paymentMethod)) return resourceMissing('PaymentMethod', paymentMethod, 'payment_method');
  const source: FormParams = paymentMethod.startsWith('card_')
    ? { customer: customerId ?? '', source: paymentMethod }
    : { source: TEST_TOKENS[paymentMethod] ?? 'tok_visa' };
  const charge = await callMock(ctx, 'POST', '/v1/charges', {
    amount: String(intent.amount),
    currency: String(intent.currency),
    ...source,
    ...(intent.description ? { description: String(intent.description) } : {}),
  });
  const error = (charge.body as { error?: Record<string, unknown> }).error;
  const chargeId = isError(charge) ? (error?.charge as string | undefined) : (charge.body as StripeObject).id;
  if (isError(charge) && !chargeId) return charge;
  patchObject(ctx.state, chargeId!, { payment_intent: intent.id, customer: customerId });
  ctx.state.paymentIntents.set(intent.id, intent);
  const card = { id: paymentMethod, object: 'payment_method', type: 'card' };
  if (isError(charge)) {
    Object.assign(intent, {
      status: 'requires_payment_method',
      payment_method: null,
      latest_charge: chargeId,
      last_payment_error: { ...error, payment_method: card },
    });
    return { status: charge.status, body: { error: { ...error, payment_intent: intent, payment_method: card } } };
  }
  Object.assign(intent, {
    status: 'succeeded',
    payment_method: paymentMethod,
    amount_received: intent.amount,
    latest_charge: chargeId,
    last_payment_error: null,
  });
  return ok(intent);
}
