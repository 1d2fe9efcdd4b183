import { loadObjectFixture } from '@ledgerline/testing';

/**
 * One customer's life as Stripe would tell it in webhooks, built on the published example objects
 * (test/fixtures/stripe/objects): a trial that turns active, goes past due and is cancelled; an
 * invoice from draft to paid; a charge partly refunded and then disputed and lost; a one-off purchase.
 */
export const T0 = 1_760_000_000;
const DAY = 86_400;

export interface StoryEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  api_version: string;
  livemode: false;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
}

/** A card expiring at the end of this month: always inside the warning window. */
export function expiringCard(now = new Date()): { exp_month: number; exp_year: number } {
  return { exp_month: now.getUTCMonth() + 1, exp_year: now.getUTCFullYear() };
}

export function supportStory(now = new Date()): StoryEvent[] {
  const events: StoryEvent[] = [];
  const add = (type: string, object: Record<string, unknown>, previous?: Record<string, unknown>) =>
    events.push({
      id: `evt_story_${String(events.length + 1).padStart(2, '0')}`,
      object: 'event',
      type,
      created: T0 + events.length * 60,
      api_version: '2024-06-20',
      livemode: false,
      data: { object, ...(previous ? { previous_attributes: previous } : {}) },
    });

  const product = { ...loadObjectFixture('product'), id: 'prod_story', name: 'Pro plan', default_price: 'price_story' };
  const price = {
    ...loadObjectFixture('price'),
    id: 'price_story',
    product: 'prod_story',
    nickname: 'Pro monthly',
    currency: 'eur',
    unit_amount: 2000,
    recurring: { interval: 'month', interval_count: 1 },
  };
  const customer = {
    ...loadObjectFixture('customer'),
    id: 'cus_story',
    name: 'Grace Hopper',
    email: 'grace@navy.example',
    phone: '+1 (555) 010-2030',
    address: { line1: '1 Navy Way', line2: null, city: 'Arlington', postal_code: '22202', state: 'VA', country: 'US' },
    shipping: {
      name: 'Grace Hopper',
      phone: null,
      address: {
        line1: '7 Harbor Road',
        line2: 'Dock 4',
        city: 'Norfolk',
        postal_code: '23511',
        state: 'VA',
        country: 'US',
      },
    },
    balance: -500,
    currency: 'eur',
    delinquent: false,
    invoice_settings: { default_payment_method: 'pm_story' },
    metadata: { company: 'US Navy', department: 'Fleet Computing' },
  };
  const card = {
    brand: 'visa',
    last4: '4242',
    fingerprint: 'fp_secret',
    funding: 'credit',
    country: 'US',
    ...expiringCard(now),
  };
  const paymentMethod = { ...loadObjectFixture('payment_method'), id: 'pm_story', customer: 'cus_story', card };
  const item = {
    object: 'subscription_item',
    id: 'si_story',
    price,
    quantity: 1,
    current_period_start: T0,
    current_period_end: T0 + 30 * DAY,
  };
  const subscription = (status: string, extra: Record<string, unknown> = {}) => ({
    ...loadObjectFixture('subscription'),
    id: 'sub_story',
    customer: 'cus_story',
    status,
    currency: 'eur',
    items: { object: 'list', data: [item], has_more: false },
    trial_start: T0,
    trial_end: T0 + 14 * DAY,
    cancel_at_period_end: false,
    collection_method: 'charge_automatically',
    schedule: null,
    discounts: [],
    discount: {
      id: 'di_story',
      coupon: { id: 'WELCOME10', name: 'Welcome', percent_off: 10, amount_off: null, duration: 'once' },
    },
    metadata: { gift_recipient: 'ada@example.org', shipments_remaining: '3' },
    ...extra,
  });
  const invoiceLine = {
    id: 'il_story',
    object: 'line_item',
    amount: 2000,
    currency: 'eur',
    description: '1 × Pro plan',
    quantity: 1,
    price,
    period: { start: T0, end: T0 + 30 * DAY },
    subscription: 'sub_story',
  };
  const invoice = (status: string, extra: Record<string, unknown> = {}) => ({
    ...loadObjectFixture('invoice'),
    id: 'in_story',
    customer: 'cus_story',
    subscription: 'sub_story',
    parent: null,
    number: 'STORY-0001',
    status,
    currency: 'eur',
    subtotal: 2000,
    total: 2000,
    tax: 0,
    amount_due: 2000,
    amount_paid: status === 'paid' ? 2000 : 0,
    amount_remaining: status === 'paid' ? 0 : 2000,
    billing_reason: 'subscription_cycle',
    hosted_invoice_url: 'https://invoice.stripe.com/i/story',
    lines: { object: 'list', data: [invoiceLine], has_more: false },
    ...extra,
  });
  const charge = (extra: Record<string, unknown> = {}) => ({
    ...loadObjectFixture('charge'),
    id: 'ch_story',
    customer: 'cus_story',
    invoice: 'in_story',
    amount: 2000,
    amount_captured: 2000,
    amount_refunded: 0,
    currency: 'eur',
    payment_intent: null,
    payment_method: 'pm_story',
    payment_method_details: { type: 'card', card: { ...card, network: 'visa', checks: {} } },
    refunds: { object: 'list', data: [], has_more: false },
    ...extra,
  });
  const refund = {
    ...loadObjectFixture('refund'),
    id: 're_story',
    charge: 'ch_story',
    amount: 500,
    currency: 'eur',
    status: 'succeeded',
    reason: 'requested_by_customer',
    created: T0 + 3 * DAY,
  };
  const dispute = (status: string, extra: Record<string, unknown> = {}) => ({
    ...loadObjectFixture('dispute'),
    id: 'dp_story',
    charge: 'ch_story',
    amount: 1500,
    currency: 'eur',
    reason: 'fraudulent',
    status,
    balance_transactions: [],
    ...extra,
  });
  const oneOff = {
    ...invoice('paid'),
    id: 'in_book',
    number: 'STORY-0002',
    subscription: null,
    billing_reason: 'manual',
    lines: {
      object: 'list',
      data: [{ ...invoiceLine, id: 'il_book', subscription: null, price: { id: 'price_book', product: 'prod_book' } }],
    },
  };

  add('product.created', product);
  add('price.created', price);
  add('customer.created', { ...customer, email: 'g.hopper@navy.example' });
  add('payment_method.attached', paymentMethod);
  add('customer.subscription.created', subscription('trialing'));
  add('customer.subscription.trial_will_end', subscription('trialing'));
  add('customer.subscription.updated', subscription('active'), { status: 'trialing' });
  add('invoice.created', invoice('draft'));
  add('invoice.finalized', invoice('open'), { status: 'draft' });
  add('charge.succeeded', charge());
  add('invoice.paid', invoice('paid', { charge: 'ch_story', status_transitions: { paid_at: T0 + 2 * DAY } }), {
    status: 'open',
  });
  add(
    'charge.refunded',
    charge({ amount_refunded: 500, refunds: { object: 'list', data: [refund], has_more: false } }),
  );
  add('charge.dispute.created', dispute('needs_response'));
  const funds = [
    { id: 'txn_dp', type: 'adjustment', amount: -1500, fee: 1500, net: -3000, currency: 'eur', created: T0 + 9 * DAY },
  ];
  add('charge.dispute.closed', dispute('lost', { balance_transactions: funds }), { status: 'under_review' });
  add('customer.subscription.updated', subscription('past_due'), { status: 'active' });
  add(
    'customer.subscription.deleted',
    subscription('canceled', { canceled_at: T0 + 20 * DAY, ended_at: T0 + 20 * DAY }),
    {
      status: 'past_due',
    },
  );
  add('invoice.paid', oneOff);
  add('customer.updated', customer, { email: 'g.hopper@navy.example' });
  add('invoice.payment_failed', {
    ...oneOff,
    id: 'in_fail',
    number: 'STORY-0003',
    status: 'open',
    amount_paid: 0,
    amount_remaining: 2000,
    attempt_count: 1,
    next_payment_attempt: T0 + 25 * DAY,
  });
  add('customer.source.expiring', { id: 'card_story', object: 'card', customer: 'cus_story', ...card });
  return events;
}
