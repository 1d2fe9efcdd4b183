import { describe, expect, it } from '@jest/globals';
import { activityOf } from './activity-rows';
import { recordedStripeEvent, stripePayload } from './testing/activity-events';

const APRIL_1 = Date.UTC(2026, 3, 1) / 1000;
const MARCH_1 = Date.UTC(2026, 2, 1) / 1000;

const item = (nickname: string | null, product: string, quantity = 1) => ({
  object: 'subscription_item',
  price: { id: `price_${product}`, object: 'price', nickname, product },
  quantity,
});
const subscription = (fields: Record<string, unknown>) => ({
  id: 'sub_1',
  object: 'subscription',
  customer: 'cus_1',
  status: 'active',
  cancel_at_period_end: false,
  cancel_at: null,
  current_period_end: APRIL_1,
  items: { object: 'list', data: [item('Basic', 'prod_basic')] },
  ...fields,
});

/** [kind, summary] of every entry of one hand-built event. */
function entries(type: string, object: Record<string, unknown>, previous?: Record<string, unknown>) {
  const payload = stripePayload({ id: 'evt_1', type, created: MARCH_1, object, previous });
  return activityOf(recordedStripeEvent(payload, 1)).entries.map((e) => [e.kind, e.summary, e.details]);
}

describe('activity entries of a subscription lifecycle', () => {
  it('a trial start names the plan and its end', () => {
    expect(entries('customer.subscription.created', subscription({ status: 'trialing', trial_end: APRIL_1 }))).toEqual([
      ['trial_started', 'Trial started: Basic, ends 1 Apr 2026', { plan: 'Basic', status: 'trialing' }],
    ]);
  });

  it('one update that changes the plan and schedules the cancellation gives two entries', () => {
    const now = subscription({
      cancel_at_period_end: true,
      items: { object: 'list', data: [item('Pro', 'prod_pro', 2)] },
    });
    const previous = { cancel_at_period_end: false, items: { data: [item('Basic', 'prod_basic')] } };
    expect(entries('customer.subscription.updated', now, previous)).toEqual([
      ['plan_changed', 'Plan changed from Basic to 2 × Pro', { from: 'Basic', to: '2 × Pro' }],
      ['cancellation_scheduled', 'Cancellation scheduled for 1 Apr 2026', { cancelAt: APRIL_1 }],
    ]);
  });

  it('falls back to the product id when prices have no nickname', () => {
    const now = subscription({ items: { object: 'list', data: [item(null, 'prod_b')] } });
    expect(entries('customer.subscription.updated', now, { items: { data: [item(null, 'prod_a')] } })).toEqual([
      ['plan_changed', 'Plan changed from prod_a to prod_b', { from: 'prod_a', to: 'prod_b' }],
    ]);
  });

  it('an old-API plan change (single plan, only its changed keys in previous_attributes)', () => {
    const plan = { id: 'gold', object: 'plan', nickname: 'Gold', product: 'prod_gold' };
    const now = { id: 'sub_1', object: 'subscription', customer: 'cus_1', status: 'active', plan, quantity: 1 };
    expect(entries('customer.subscription.updated', now, { plan: { id: 'silver', nickname: 'Silver' } })).toEqual([
      ['plan_changed', 'Plan changed from Silver to Gold', { from: 'Silver', to: 'Gold' }],
    ]);
  });

  it('an item change that leaves the plan reading the same gives no entry', () => {
    const now = subscription({});
    expect(entries('customer.subscription.updated', now, { items: { data: [item('Basic', 'prod_basic')] } })).toEqual(
      [],
    );
  });

  it('withdrawing a cancellation, also when only cancel_at is used (newer API versions)', () => {
    expect(
      entries('customer.subscription.updated', subscription({}), { cancel_at_period_end: true, cancel_at: APRIL_1 }),
    ).toEqual([['cancellation_withdrawn', 'Cancellation withdrawn', {}]]);
    expect(entries('customer.subscription.updated', subscription({ cancel_at: APRIL_1 }), { cancel_at: null })).toEqual(
      [['cancellation_scheduled', 'Cancellation scheduled for 1 Apr 2026', { cancelAt: APRIL_1 }]],
    );
  });

  it('status changes in words; a change to canceled is left to customer.subscription.deleted', () => {
    expect(
      entries('customer.subscription.updated', subscription({ status: 'past_due' }), { status: 'active' }),
    ).toEqual([
      ['subscription_status_changed', 'Subscription past due (was active)', { from: 'active', to: 'past_due' }],
    ]);
    expect(
      entries('customer.subscription.updated', subscription({ status: 'active' }), { status: 'trialing' }),
    ).toEqual([
      ['subscription_status_changed', 'Subscription active (was in trial)', { from: 'trialing', to: 'active' }],
    ]);
    expect(
      entries('customer.subscription.updated', subscription({ status: 'canceled' }), { status: 'active' }),
    ).toEqual([]);
  });

  it('a renewal invoice paid: renewed until the new period end, plus the payment, and no purchase', () => {
    const invoice = {
      id: 'in_1',
      object: 'invoice',
      customer: 'cus_1',
      number: 'ABC-0002',
      currency: 'eur',
      amount_paid: 1250,
      billing_reason: 'subscription_cycle',
      subscription: 'sub_1',
      lines: { data: [{ type: 'subscription', subscription: 'sub_1', period: { start: MARCH_1, end: APRIL_1 } }] },
    };
    expect(entries('invoice.paid', invoice).map(([kind, summary]) => [kind, summary])).toEqual([
      ['invoice_paid', 'Invoice ABC-0002 paid (€12.50)'],
      ['subscription_renewed', 'Subscription renewed until 1 Apr 2026'],
    ]);
  });
});

describe('activity entries of payments and cards', () => {
  it('a second partial refund reports its own amount', () => {
    const charge = {
      id: 'ch_1',
      object: 'charge',
      customer: 'cus_1',
      amount: 1000,
      amount_refunded: 1000,
      currency: 'jpy',
      refunded: true,
    };
    expect(entries('charge.refunded', charge, { amount_refunded: 400, refunded: false })).toEqual([
      [
        'refund_issued',
        'Refund of ¥600 issued (charge now fully refunded)',
        { amount: 600, currency: 'jpy', totalRefunded: 1000, fullyRefunded: true },
      ],
    ]);
  });

  it('an expiring card shows brand, last four and expiry only', () => {
    const card = {
      id: 'card_1',
      object: 'card',
      customer: 'cus_1',
      brand: 'Visa',
      last4: '4242',
      exp_month: 8,
      exp_year: 2026,
      fingerprint: 'Xt5EWLLDS7FJjR1c',
      address_line1: '1 Main St',
      name: 'Jenny Rosen',
    };
    const [entry] = entries('customer.source.expiring', card);
    expect(entry).toEqual([
      'card_expiring',
      'Card Visa ending 4242 expires 08/2026',
      { brand: 'Visa', last4: '4242', expMonth: 8, expYear: 2026 },
    ]);
  });

  it('a payment failure gives the reason when the charge came expanded, and the next attempt', () => {
    const invoice = {
      id: 'in_2',
      object: 'invoice',
      customer: 'cus_1',
      number: 'ABC-0003',
      currency: 'usd',
      amount_due: 900,
      attempt_count: 2,
      next_payment_attempt: APRIL_1,
      charge: { id: 'ch_2', object: 'charge', failure_message: 'Your card was declined.' },
    };
    expect(entries('invoice.payment_failed', invoice)[0]?.[1]).toBe(
      'Payment failed for invoice ABC-0003 ($9.00): Your card was declined; next attempt 1 Apr 2026',
    );
  });

  it('a checkout session that created an invoice leaves the purchase to invoice.paid', () => {
    const session = {
      id: 'cs_1',
      object: 'checkout.session',
      customer: 'cus_1',
      mode: 'payment',
      payment_status: 'paid',
      invoice: 'in_9',
    };
    expect(entries('checkout.session.completed', session)).toEqual([]);
    expect(entries('checkout.session.completed', { ...session, invoice: null, payment_status: 'unpaid' })).toEqual([]);
    expect(
      entries('checkout.session.async_payment_succeeded', {
        ...session,
        invoice: null,
        amount_total: 4200,
        currency: 'usd',
        line_items: { data: [{ description: 'Gift card' }] },
      })[0]?.[1],
    ).toBe('Purchased Gift card ($42.00)');
  });
});
