import type { EventStore } from '@ledgerline/event-store';
import { REFUND_METADATA } from '@ledgerline/events';
import { routeStripeEvent, type StripeEventPayload, toStoreEvent } from '@ledgerline/stripe';
import { loadEventFixtures } from '@ledgerline/testing';
import type { BalanceTransaction } from '../compare/balance-transactions';

/**
 * Money scenarios for reconciliation tests and the benchmark: published Stripe event payloads (the
 * shared fixtures) with their object overridden, stored as the webhook stores them, and platform
 * refund requests as the command handler and the Stripe sync store them.
 */

/** 2026-01-01T00:00:00Z. */
export const T0 = 1_767_225_600;
export const DAY = 86_400;

const fixtures = new Map<string, Record<string, unknown>>();
function fixture(file: string): Record<string, unknown> {
  let found = fixtures.get(file);
  if (!found) {
    const hit = loadEventFixtures().find((f) => f.file.endsWith(file));
    if (!hit) throw new Error(`no Stripe fixture ${file}`);
    fixtures.set(file, (found = JSON.parse(hit.body) as Record<string, unknown>));
  }
  return found;
}

let made = 0;

/** A Stripe event from a fixture, its object overridden, `created` at the given time. */
export function stripePayload(
  file: string,
  object: Record<string, unknown>,
  created: number,
  options: { account?: string; previousAttributes?: Record<string, unknown>; id?: string } = {},
): StripeEventPayload {
  const base = fixture(file) as { data: { object: Record<string, unknown> } } & Record<string, unknown>;
  return {
    ...base,
    id: options.id ?? `evt_scenario_${++made}`,
    created,
    ...(options.account ? { account: options.account } : {}),
    data: {
      object: { ...base.data.object, ...object },
      ...(options.previousAttributes ? { previous_attributes: options.previousAttributes } : {}),
    },
  } as StripeEventPayload;
}

export const charge = (
  id: string,
  amount: number,
  created: number,
  extra: Record<string, unknown> = {},
  account?: string,
) =>
  stripePayload(
    'stripe-ruby-mock/charge.succeeded.json',
    {
      id,
      amount,
      amount_captured: amount,
      amount_refunded: 0,
      currency: 'eur',
      created,
      status: 'succeeded',
      paid: true,
      captured: true,
      invoice: null,
      payment_intent: null,
      customer: 'cus_scenario',
      refunds: { object: 'list', data: [] },
      ...extra,
    },
    created,
    { account },
  );

export const refund = (
  id: string,
  chargeId: string,
  amount: number,
  created: number,
  extra: Record<string, unknown> = {},
) =>
  stripePayload(
    'stripe-ruby-mock/charge.refund.updated.json',
    {
      id,
      object: 'refund',
      charge: chargeId,
      amount,
      currency: 'eur',
      status: 'succeeded',
      created,
      metadata: {},
      ...extra,
    },
    created,
  );

export const invoicePaid = (id: string, amountPaid: number, paidAt: number, extra: Record<string, unknown> = {}) =>
  stripePayload(
    'stripe-ruby-mock/invoice.paid.json',
    {
      id,
      currency: 'eur',
      status: 'paid',
      paid: true,
      amount_paid: amountPaid,
      charge: null,
      payment_intent: null,
      paid_out_of_band: false,
      starting_balance: 0,
      ending_balance: 0,
      customer: 'cus_scenario',
      status_transitions: { paid_at: paidAt },
      ...extra,
    },
    paidAt,
  );

export const disputeWithdrawn = (id: string, chargeId: string, amount: number, fee: number, created: number) =>
  stripePayload(
    'stripe-ruby-mock/charge.dispute.funds_withdrawn.json',
    {
      id,
      charge: chargeId,
      amount,
      currency: 'eur',
      status: 'lost',
      created,
      balance_transactions: [
        {
          id: `txn_${id}`,
          object: 'balance_transaction',
          amount: -amount,
          fee,
          currency: 'eur',
          created,
          type: 'adjustment',
          source: id,
        },
      ],
    },
    created,
  );

export const balanceChanged = (customer: string, before: number, after: number, created: number) =>
  stripePayload(
    'stripe-ruby-mock/customer.updated.json',
    { id: customer, object: 'customer', balance: after, currency: 'eur' },
    created,
    { previousAttributes: { balance: before } },
  );

/** Stores Stripe events as the webhook does (same stream, id and envelope). */
export async function appendStripe(store: EventStore, payloads: StripeEventPayload[]): Promise<void> {
  for (const payload of payloads) {
    await store.append(routeStripeEvent(payload).stream, [toStoreEvent(payload)]);
  }
}

/**
 * A refund the platform asked for and, when `stripeRefundId` is given, the Stripe refund the sync
 * made of it. Returns the command event's id, which the Stripe refund carries in its metadata.
 */
export async function appendRefundRequest(
  store: EventStore,
  request: { id: string; chargeId: string; amount: number; at: number; stripeRefundId?: string },
): Promise<string> {
  const stream = `payment-${request.chargeId}`;
  const requested = await store.append(stream, [
    {
      type: 'RefundRequested',
      data: {
        paymentId: request.chargeId,
        refundRequestId: request.id,
        chargeId: request.chargeId,
        paymentIntentId: null,
        customerId: 'customer-scenario',
        amount: request.amount,
        currency: 'eur',
        reason: 'requested_by_customer',
      },
      metadata: { source: 'platform', actor: 'finance-tester', occurredAt: new Date(request.at * 1000).toISOString() },
    },
  ]);
  const commandEventId = requested.events[0]!.id;
  if (request.stripeRefundId) {
    await store.append(stream, [
      {
        type: 'RefundLinkedToStripe',
        data: {
          paymentId: request.chargeId,
          customerId: 'customer-scenario',
          refundRequestId: request.id,
          stripeRefundId: request.stripeRefundId,
          commandEventId,
        },
        metadata: {
          source: 'platform',
          actor: 'system:stripe-sync',
          causationId: commandEventId,
          occurredAt: new Date((request.at + 1) * 1000).toISOString(),
        },
      },
    ]);
  }
  return commandEventId;
}

/** The metadata the Stripe sync puts on a refund it makes for a platform request. */
export const platformRefundMetadata = (commandEventId: string, requestId: string) => ({
  [REFUND_METADATA.commandEventId]: commandEventId,
  [REFUND_METADATA.refundRequestId]: requestId,
});

/** A balance transaction as Stripe lists it. */
export const balanceTransaction = (
  id: string,
  source: string,
  amount: number,
  created: number,
  extra: Partial<BalanceTransaction> = {},
): Record<string, unknown> & BalanceTransaction => ({
  object: 'balance_transaction',
  id,
  source,
  type: amount < 0 ? 'refund' : 'charge',
  amount,
  fee: 0,
  currency: 'eur',
  created,
  ...extra,
});
