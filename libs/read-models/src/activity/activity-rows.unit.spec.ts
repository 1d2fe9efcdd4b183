import { describe, expect, it } from '@jest/globals';
import { loadEventFixtures } from '@ledgerline/testing';
import { platformCustomerId } from '../shared/stripe-refs';
import { activityOf, MAPPED_EVENT_TYPES } from './activity-rows';
import { ActivityProjector } from './activity.projector';
import { recordedStripeEvent, stripePayload } from './testing/activity-events';

const fixtures = loadEventFixtures();

/** The entries of one published fixture, by its file name under events/. */
function entriesOfFixture(file: string) {
  const fixture = fixtures.find((f) => f.file.endsWith(`/${file}`));
  if (!fixture) throw new Error(`no fixture ${file}`);
  return activityOf(recordedStripeEvent(JSON.parse(fixture.body) as Record<string, unknown>, 1));
}
const summaries = (file: string) => entriesOfFixture(file).entries.map((e) => [e.kind, e.summary]);

describe('activity entries from published Stripe events', () => {
  it('customer created and updated, naming changed fields only', () => {
    const created = entriesOfFixture('stripe-ruby-mock/customer.created.json').entries;
    expect(created).toMatchObject([
      {
        kind: 'customer_created',
        summary: 'Customer created',
        customer_stripe_id: 'cus_00000000000000',
        customer_id: platformCustomerId('cus_00000000000000', null),
        object_type: 'customer',
        stripe_event_id: 'evt_000000000000000000000000',
        occurred_at: '2022-03-26T18:41:47.000Z',
      },
    ]);
    expect(summaries('stripe-ruby-mock/customer.updated.json')).toEqual([
      ['customer_updated', 'Customer details updated: currency'],
    ]);
    expect(summaries('stripe-dotnet/customer_updated.json')).toEqual([
      ['customer_updated', 'Customer details updated: metadata'],
    ]);
  });

  it('subscriptions started, cancelled, trial ending; a schedule-only update gives no entry', () => {
    expect(summaries('stripe-ruby-mock/customer.subscription.created.json')).toEqual([
      ['subscription_started', 'Subscription started: prod_00000000000000'],
    ]);
    expect(summaries('stripe-ruby-mock/customer.subscription.deleted.json')).toEqual([
      ['subscription_cancelled', 'Subscription cancelled: prod_00000000000000'],
    ]);
    expect(summaries('stripe-ruby-mock/customer.subscription.trial_will_end.json')).toEqual([
      ['trial_ending', 'Trial ending on 9 Oct 2013'],
    ]);
    expect(summaries('stripe-ruby-mock/customer.subscription.updated.json')).toEqual([]);
  });

  it('invoices created, paid (a one-off one is also a purchase) and failed', () => {
    expect(summaries('stripe-ruby-mock/invoice.created.json')).toEqual([
      ['invoice_created', 'Invoice created for $15.00'],
    ]);
    expect(summaries('stripe-ruby-mock/invoice.paid.json')).toEqual([
      ['invoice_paid', 'Invoice EE1DF78D-0001 paid ($20.00)'],
      ['product_purchased', 'Purchased (created by Stripe CLI) ($20.00)'],
    ]);
    const succeeded = entriesOfFixture('stripe-ruby-mock/invoice.payment_succeeded.json').entries;
    expect(succeeded.map((e) => [e.kind, e.event_type])).toEqual([
      ['invoice_paid', 'invoice.payment_succeeded'],
      ['product_purchased', 'invoice.payment_succeeded'],
    ]);
    expect(summaries('stripe-ruby-mock/invoice.payment_failed.json')).toEqual([
      ['payment_failed', 'Payment failed for invoice C93E45D7-0001 ($20.00)'],
    ]);
  });

  it('links an invoice charge to its customer, for disputes found later through the charge', () => {
    expect(entriesOfFixture('stripe-ruby-mock/invoice.paid.json').charge).toEqual({
      charge_id: 'ch_000000000000000000000000',
      customer_stripe_id: 'cus_00000000000000',
    });
    // A charge without a customer links nothing.
    expect(entriesOfFixture('stripe-ruby-mock/charge.succeeded.json')).toEqual({ entries: [], charge: null });
  });

  it('refunds and disputes carry their charge, since disputes name no customer', () => {
    expect(entriesOfFixture('stripe-ruby-mock/charge.refunded.json').entries).toMatchObject([
      { kind: 'refund_issued', summary: 'Refund of $1.00 issued', charge_id: 'ch_000000000000000000000000' },
    ]);
    expect(entriesOfFixture('stripe-ruby-mock/charge.dispute.created.json').entries).toMatchObject([
      {
        kind: 'dispute_opened',
        summary: 'Dispute opened (fraudulent, $1.00); evidence due 4 Apr 2022',
        charge_id: 'ch_000000000000000000000000',
        customer_stripe_id: null,
        object_id: 'dp_000000000000000000000000',
      },
    ]);
    expect(entriesOfFixture('stripe-ruby-mock/charge.dispute.closed.json').entries).toMatchObject([
      { kind: 'dispute_closed', summary: 'Dispute closed: won', charge_id: 'ch_00000000000000', object_id: null },
    ]);
  });

  it('checkout purchases in payment mode only; an expiring non-card source', () => {
    expect(summaries('stripe-ruby-mock/checkout.session.completed.payment_mode.json')).toEqual([
      ['product_purchased', 'Purchased items at checkout ($250.00)'],
    ]);
    expect(summaries('stripe-ruby-mock/checkout.session.completed.setup_mode.json')).toEqual([]);
    expect(summaries('stripe-ruby-mock/customer.source.expiring.json')).toEqual([
      ['card_expiring', 'Payment source (ach credit transfer) expiring'],
    ]);
  });

  it('never puts emails, addresses or card numbers in any summary or details', () => {
    const rows = fixtures.flatMap(
      (f, i) => activityOf(recordedStripeEvent(JSON.parse(f.body) as Record<string, unknown>, i + 1)).entries,
    );
    expect(rows.length).toBeGreaterThan(15);
    for (const row of rows) {
      const text = `${row.summary} ${JSON.stringify(row.details)}`;
      expect(text).not.toMatch(/@|jenny|fingerprint|(^|[^\w])\d{12,}/i);
    }
  });

  it('is given only the event types it maps, plus charge events for the charge links', () => {
    const handles: readonly string[] = new ActivityProjector().handles;
    const consumed = (type: string) => handles.includes(type);
    expect(MAPPED_EVENT_TYPES.filter((type) => !consumed(type))).toEqual([]);
    for (const type of ['customer.created', 'invoice.paid', 'charge.succeeded', 'charge.dispute.closed']) {
      expect(consumed(type)).toBe(true);
    }
    for (const type of ['customer.deleted', 'invoice.finalized', 'customer.discount.created', 'refund.created']) {
      expect(consumed(type)).toBe(false);
    }
  });

  it('ignores platform events', () => {
    const event = recordedStripeEvent(
      stripePayload({ id: 'evt_p', type: 'customer.created', created: 1, object: { id: 'cus_1', object: 'customer' } }),
      1,
    );
    expect(activityOf({ ...event, metadata: { ...event.metadata, source: 'platform' } })).toEqual({
      entries: [],
      charge: null,
    });
  });
});
