import { stripePayload } from './activity-events';

const T = 1_767_225_600; // 2026-01-01T00:00:00Z
const item = (nickname: string) => ({
  object: 'subscription_item',
  price: { id: `price_${nickname}`, nickname },
  quantity: 1,
});
const sub = (nickname: string, extra: Record<string, unknown> = {}) => ({
  id: 'sub_A',
  object: 'subscription',
  customer: 'cus_A',
  status: 'active',
  cancel_at_period_end: false,
  current_period_end: T + 86_400 * 31,
  items: { object: 'list', data: [item(nickname)] },
  ...extra,
});
const invoice = (id: string, number: string, reason: string, charge: string) => ({
  id,
  object: 'invoice',
  customer: 'cus_A',
  number,
  currency: 'usd',
  total: 1000,
  amount_due: 1000,
  amount_paid: 1000,
  billing_reason: reason,
  subscription: 'sub_A',
  charge,
  lines: { data: [{ type: 'subscription', subscription: 'sub_A', period: { start: T, end: T + 86_400 * 59 } }] },
});

/**
 * One customer's history (cus_A) and a little of another's (cus_B), in the order it happened. A
 * dispute names only its charge; in_A1 is reported by both invoice.paid and invoice.payment_succeeded,
 * in_A2 by invoice.payment_succeeded alone.
 */
export function customerStory(): Record<string, unknown>[] {
  return [
    stripePayload({
      id: 'evt_a1',
      type: 'customer.created',
      created: T + 100,
      object: { id: 'cus_A', object: 'customer' },
    }),
    stripePayload({
      id: 'evt_b1',
      type: 'customer.created',
      created: T + 105,
      object: { id: 'cus_B', object: 'customer' },
    }),
    stripePayload({ id: 'evt_a2', type: 'customer.subscription.created', created: T + 110, object: sub('Basic') }),
    stripePayload({
      id: 'evt_a3',
      type: 'invoice.created',
      created: T + 111,
      object: { ...invoice('in_A1', 'A-0001', 'subscription_create', 'ch_A1'), charge: null },
    }),
    stripePayload({
      id: 'evt_a4',
      type: 'invoice.paid',
      created: T + 112,
      object: invoice('in_A1', 'A-0001', 'subscription_create', 'ch_A1'),
    }),
    stripePayload({
      id: 'evt_a5',
      type: 'invoice.payment_succeeded',
      created: T + 112,
      object: invoice('in_A1', 'A-0001', 'subscription_create', 'ch_A1'),
    }),
    stripePayload({
      id: 'evt_b2',
      type: 'charge.succeeded',
      created: T + 160,
      object: { id: 'ch_B', object: 'charge', customer: 'cus_B', amount: 700, currency: 'eur' },
    }),
    stripePayload({
      id: 'evt_b3',
      type: 'charge.dispute.created',
      created: T + 170,
      object: { id: 'dp_B', object: 'dispute', charge: 'ch_B', amount: 700, currency: 'eur', reason: 'fraudulent' },
    }),
    stripePayload({
      id: 'evt_a6',
      type: 'charge.succeeded',
      created: T + 200,
      object: { id: 'ch_A2', object: 'charge', customer: 'cus_A', amount: 2500, currency: 'usd' },
    }),
    stripePayload({
      id: 'evt_a7',
      type: 'charge.dispute.created',
      created: T + 300,
      object: {
        id: 'dp_A',
        object: 'dispute',
        charge: 'ch_A2',
        amount: 2500,
        currency: 'usd',
        reason: 'product_not_received',
      },
    }),
    stripePayload({
      id: 'evt_a8',
      type: 'customer.subscription.updated',
      created: T + 400,
      object: sub('Pro', { cancel_at_period_end: true }),
      previous: { cancel_at_period_end: false, items: { data: [item('Basic')] } },
    }),
    stripePayload({
      id: 'evt_a9',
      type: 'charge.refunded',
      created: T + 500,
      object: {
        id: 'ch_A1',
        object: 'charge',
        customer: 'cus_A',
        amount: 1000,
        amount_refunded: 300,
        currency: 'usd',
        refunded: false,
      },
      previous: { amount_refunded: 0 },
    }),
    stripePayload({
      id: 'evt_a10',
      type: 'invoice.payment_succeeded',
      created: T + 600,
      object: invoice('in_A2', 'A-0002', 'subscription_cycle', 'ch_A3'),
    }),
    stripePayload({
      id: 'evt_a11',
      type: 'charge.dispute.closed',
      created: T + 700,
      object: { id: 'dp_A', object: 'dispute', charge: 'ch_A2', amount: 2500, currency: 'usd', status: 'won' },
    }),
  ];
}

/** cus_A's feed as listCustomerActivity must return it: newest first. */
export const CUSTOMER_A_FEED: [string, string][] = [
  ['dispute_closed', 'Dispute closed: won'],
  ['invoice_paid', 'Invoice A-0002 paid ($10.00)'],
  ['subscription_renewed', 'Subscription renewed until 1 Mar 2026'],
  ['refund_issued', 'Refund of $3.00 issued'],
  ['cancellation_scheduled', 'Cancellation scheduled for 1 Feb 2026'],
  ['plan_changed', 'Plan changed from Basic to Pro'],
  ['dispute_opened', 'Dispute opened (product not received, $25.00)'],
  ['invoice_paid', 'Invoice A-0001 paid ($10.00)'],
  ['invoice_created', 'Invoice A-0001 created for $10.00'],
  ['subscription_started', 'Subscription started: Basic'],
  ['customer_created', 'Customer created'],
];
