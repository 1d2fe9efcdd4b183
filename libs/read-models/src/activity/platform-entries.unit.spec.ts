import { describe, expect, it } from '@jest/globals';
import { STRIPE_SYNC_RESULT_TYPES, SYNCED_COMMAND_EVENT_TYPES } from '@ledgerline/events';
import {
  outcomeOf,
  platformEventId,
  recordedPlatformEvent,
  type PlatformEventInput,
} from '../stripe-sync/testing/platform-events';
import { activityOf } from './activity-rows';
import { ActivityProjector } from './activity.projector';

const CUSTOMER = '3f2c8a4e-9b1d-4c7e-8f60-1a2b3c4d5e6f';
const AT = '2026-03-01T10:00:00.000Z';

const command = (type: string, data: Record<string, unknown>, stream = `customer-${CUSTOMER}`): PlatformEventInput => ({
  name: `${type}-1`,
  type,
  stream,
  data,
  occurredAt: AT,
  actor: 'alice',
});

/** [kind, summary] of every entry of one platform event. */
function summaries(input: PlatformEventInput) {
  return activityOf(recordedPlatformEvent(input, 7)).entries.map((e) => [e.kind, e.summary]);
}
const rowsOf = (input: PlatformEventInput) => activityOf(recordedPlatformEvent(input, 7)).entries;

const item = {
  priceId: 'price_123',
  productId: 'prod_gold',
  unitAmount: 2500,
  currency: 'usd',
  interval: 'month',
  intervalCount: 1,
};
const started = {
  subscriptionId: 'b7e6d5c4-3a21-4f0e-9d8c-7b6a5f4e3d2c',
  customerId: CUSTOMER,
  customerStripeId: 'cus_P',
  item,
  couponId: null,
  trialDays: 14,
  collection: 'card_on_file',
  daysUntilDue: null,
  giftRecipientId: null,
  shippingAddress: { line1: '1 Navy Way', line2: null, city: 'Oslo', state: null, country: 'NO', postalCode: '0150' },
  shipmentsRemaining: null,
  replacesSubscriptionId: null,
};

describe('activity entries of platform commands', () => {
  it('a customer registered: keyed by the store event id, its platform customer, actor and time', () => {
    const input = command('CustomerRegistered', {
      customerId: CUSTOMER,
      details: { firstName: 'Jo', lastName: 'Doe', email: 'jo@example.com', phone: null, address: null },
    });
    const id = platformEventId(input.name);
    expect(rowsOf(input)).toEqual([
      {
        stripe_event_id: id,
        kind: 'customer_registered',
        event_type: 'CustomerRegistered',
        customer_stripe_id: null,
        customer_id: CUSTOMER,
        account: null,
        charge_id: null,
        object_type: 'customer',
        object_id: CUSTOMER,
        summary: 'Customer registered by alice',
        details: { actor: 'alice' },
        occurred_at: AT,
        store_event_id: id,
        event_position: '7',
      },
    ]);
    expect(activityOf(recordedPlatformEvent(input, 7)).charge).toBeNull();
  });

  it('details changed name the changed fields only, never their values', () => {
    const details = { firstName: 'Jo', lastName: 'Doe', email: 'jo@example.com', phone: '+4712345678', address: null };
    expect(summaries(command('CustomerDetailsChanged', { customerId: CUSTOMER, details, changed: ['email'] }))).toEqual(
      [['customer_details_changed', 'Email changed by alice']],
    );
    const several = command('CustomerDetailsChanged', {
      customerId: CUSTOMER,
      details,
      changed: ['firstName', 'lastName', 'phone'],
      stripeCustomerId: 'cus_S',
    });
    expect(rowsOf(several)).toMatchObject([
      {
        summary: 'First name, last name and phone changed by alice',
        details: { actor: 'alice', fields: ['firstName', 'lastName', 'phone'] },
        customer_stripe_id: 'cus_S',
      },
    ]);
    expect(JSON.stringify(rowsOf(several))).not.toMatch(/example\.com|12345678|Doe/);
    expect(summaries(command('CustomerDetailsChanged', { customerId: CUSTOMER, details, changed: [] }))).toEqual([
      ['customer_details_changed', 'Customer details changed by alice'],
    ]);
  });

  it('a customer deleted', () => {
    expect(rowsOf(command('CustomerDeleted', { customerId: CUSTOMER, stripeCustomerIds: ['cus_P'] }))).toMatchObject([
      {
        kind: 'customer_deleted',
        summary: 'Customer deleted by alice',
        details: { actor: 'alice', stripeCustomerIds: ['cus_P'] },
      },
    ]);
  });

  it('a subscription started: price, how it is paid, trial and extras; no shipping address', () => {
    const stream = `subscription-${started.subscriptionId}`;
    const rows = rowsOf(command('SubscriptionStarted', started, stream));
    expect(rows).toMatchObject([
      {
        kind: 'subscription_start_requested',
        summary: 'Subscription started by alice: price_123 ($25.00/month), card on file, 14-day trial',
        customer_id: CUSTOMER,
        customer_stripe_id: 'cus_P',
        object_type: 'subscription',
        object_id: started.subscriptionId,
        details: { actor: 'alice', priceId: 'price_123', unitAmount: 2500, currency: 'usd', trialDays: 14 },
      },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/Navy|Oslo/);
    const quarterly = {
      ...started,
      item: { ...item, priceId: 'price_q', unitAmount: 6000, intervalCount: 3 },
      trialDays: 0,
      collection: 'send_invoice',
      daysUntilDue: 30,
      couponId: 'SPRING',
      giftRecipientId: 'c0ffee00-0000-4000-8000-000000000001',
      shipmentsRemaining: 6,
      replacesSubscriptionId: 'sub_old',
    };
    expect(summaries(command('SubscriptionStarted', quarterly, stream))).toEqual([
      [
        'subscription_start_requested',
        'Subscription started by alice: price_q ($60.00 every 3 months), invoices due in 30 days, coupon SPRING, a gift, 6 shipments, replaces sub_old',
      ],
    ]);
    const bare = { ...started, item: { ...item, unitAmount: null }, collection: 'offline', trialDays: null };
    expect(summaries(command('SubscriptionStarted', bare, stream))).toEqual([
      ['subscription_start_requested', 'Subscription started by alice: price_123, paid offline'],
    ]);
  });

  it('subscription changes: address, shipments, cancellation, plan, prepaid renewal', () => {
    const sub = { subscriptionId: 'sub_1', customerId: CUSTOMER };
    expect(
      summaries(command('SubscriptionAddressChanged', { ...sub, shippingAddress: started.shippingAddress })),
    ).toEqual([['shipping_address_changed', 'Shipping address changed by alice']]);
    expect(
      summaries(command('SubscriptionShipmentsRemainingChanged', { ...sub, shipmentsRemaining: 4, previous: 6 })),
    ).toEqual([['shipments_remaining_changed', 'Shipments remaining set to 4 by alice (was 6)']]);
    expect(
      summaries(
        command('SubscriptionCancellationRequested', { ...sub, when: 'period_end', effectiveAt: null, reason: null }),
      ),
    ).toEqual([['cancellation_requested', 'Cancellation requested by alice (at period end)']]);
    const atPeriodEnd = { ...sub, when: 'period_end', effectiveAt: '2026-04-01T00:00:00.000Z', reason: null };
    expect(summaries(command('SubscriptionCancellationRequested', atPeriodEnd))).toEqual([
      ['cancellation_requested', 'Cancellation requested by alice (at period end, 1 Apr 2026)'],
    ]);
    expect(rowsOf(command('SubscriptionCancellationRequested', atPeriodEnd))).toMatchObject([
      { details: { when: 'period_end', effectiveAt: Date.parse('2026-04-01T00:00:00Z') / 1000 } },
    ]);
    expect(
      summaries(command('SubscriptionCancellationRequested', { ...sub, when: 'now', reason: 'too_expensive' })),
    ).toEqual([['cancellation_requested', 'Cancellation requested by alice (immediately): too expensive']]);
    const plan = {
      ...sub,
      newSubscriptionId: 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6',
      fromPriceId: 'price_a',
      toPriceId: 'price_b',
      refundPolicy: 'prorated',
      creditAmount: 1250,
      currency: 'usd',
    };
    expect(rowsOf(command('SubscriptionPlanChanged', plan))).toMatchObject([
      {
        kind: 'plan_change_requested',
        summary: 'Plan changed by alice: price_a → price_b, $12.50 credited to balance',
        details: { actor: 'alice', from: 'price_a', to: 'price_b', refundPolicy: 'prorated', creditAmount: 1250 },
      },
    ]);
    expect(summaries(command('SubscriptionPlanChanged', { ...plan, fromPriceId: null, creditAmount: 0 }))).toEqual([
      ['plan_change_requested', 'Plan changed by alice to price_b'],
    ]);
    const renewal = { ...sub, amount: 3000, currency: 'usd', renewsAt: '2026-02-01T00:00:00.000Z' };
    expect(rowsOf(command('SubscriptionRenewalPrepaid', renewal))).toMatchObject([
      {
        kind: 'renewal_prepaid',
        summary: 'Renewal prepaid by alice: $30.00 charged to the card on file for the renewal on 1 Feb 2026',
        details: { amount: 3000, currency: 'usd', renewsAt: Date.UTC(2026, 1, 1) / 1000 },
      },
    ]);
  });

  it('a refund requested carries its charge, so it is found through the charge too', () => {
    const refund = {
      paymentId: 'ch_1',
      refundRequestId: 'r-1',
      chargeId: 'ch_1',
      paymentIntentId: null,
      customerId: null,
      amount: 500,
      currency: 'usd',
      reason: 'requested_by_customer',
    };
    expect(rowsOf(command('RefundRequested', refund, 'payment-ch_1'))).toMatchObject([
      {
        kind: 'refund_requested',
        summary: 'Refund of $5.00 requested by alice: requested by customer',
        customer_id: null,
        charge_id: 'ch_1',
        object_type: 'payment',
        object_id: 'ch_1',
      },
    ]);
  });

  it('a Stripe sync failure names the command and the reason (emails masked); successes are quiet entries', () => {
    const registered = command('CustomerRegistered', { customerId: CUSTOMER });
    const failed = outcomeOf(
      registered,
      'failed-1',
      'StripeSyncFailed',
      {
        customerId: CUSTOMER,
        commandEventType: 'CustomerRegistered',
        operation: 'POST /v1/customers',
        reason: 'Invalid email address: jo@example.com',
        stripeErrorType: 'invalid_request_error',
        stripeErrorCode: 'email_invalid',
        statusCode: 400,
        attempts: 3,
      },
      AT,
    );
    expect(rowsOf(failed)).toMatchObject([
      {
        kind: 'stripe_sync_failed',
        summary: "Stripe sync failed for 'Customer registered': Invalid email address: [email]",
        customer_id: CUSTOMER,
        object_type: 'stripe_sync',
        object_id: platformEventId(registered.name),
        details: {
          actor: 'system:stripe-sync',
          commandEventId: platformEventId(registered.name),
          operation: 'POST /v1/customers',
          stripeErrorCode: 'email_invalid',
          statusCode: 400,
          attempts: 3,
        },
      },
    ]);
    expect(JSON.stringify(rowsOf(failed))).not.toMatch(/example\.com/);
    const linked = outcomeOf(
      registered,
      'linked-1',
      'CustomerLinkedToStripe',
      { customerId: CUSTOMER, stripeCustomerId: 'cus_P' },
      AT,
    );
    expect(rowsOf(linked)).toMatchObject([
      {
        kind: 'stripe_synced',
        summary: 'Stripe sync succeeded: customer cus_P',
        object_id: platformEventId(registered.name),
        details: { stripeIds: { customer: 'cus_P' } },
      },
    ]);
    const completed = outcomeOf(
      command('SubscriptionPlanChanged', {}),
      'completed-1',
      'StripeSyncCompleted',
      {
        customerId: CUSTOMER,
        commandEventType: 'SubscriptionPlanChanged',
        stripeIds: { subscription: 'sub_2', balanceTransaction: 'cbtxn_1' },
      },
      AT,
    );
    expect(summaries(completed)).toEqual([
      ['stripe_synced', "Stripe sync succeeded for 'Plan changed': subscription sub_2, balance transaction cbtxn_1"],
    ]);
    const renewal = outcomeOf(
      command('SubscriptionRenewalPrepaid', {}),
      'renewal-1',
      'RenewalChargeLinkedToStripe',
      {
        subscriptionId: 'sub_1',
        customerId: null,
        stripePaymentIntentId: 'pi_1',
        stripeBalanceTransactionId: 'cbtxn_2',
      },
      AT,
    );
    expect(summaries(renewal)).toEqual([
      ['stripe_synced', 'Stripe sync succeeded: payment intent pi_1, balance transaction cbtxn_2'],
    ]);
  });

  it('reads malformed data without failing: a non-uuid customer is none, a missing time is the recorded one', () => {
    const input = command('CustomerDeleted', { customerId: 'not-a-uuid', stripeCustomerIds: 'cus_1' });
    const event = recordedPlatformEvent(input, 3);
    const [row] = activityOf({
      ...event,
      metadata: { ...event.metadata, occurredAt: 'yesterday', actor: undefined },
    }).entries;
    expect(row).toMatchObject({
      customer_id: null,
      summary: 'Customer deleted by unknown',
      details: { actor: null, stripeCustomerIds: [] },
      occurred_at: event.metadata.recordedAt,
    });
    // A platform event type the feed does not map gives nothing; so does a Stripe event of a platform type.
    expect(activityOf(recordedPlatformEvent(command('NotificationDelivered', {}), 1)).entries).toEqual([]);
    const stripe = recordedPlatformEvent(command('CustomerRegistered', { customerId: CUSTOMER }), 1);
    expect(activityOf({ ...stripe, metadata: { ...stripe.metadata, source: 'stripe' } }).entries).toEqual([]);
  });

  it('is given every platform command the process manager carries out, and every outcome', () => {
    for (const type of [...SYNCED_COMMAND_EVENT_TYPES, ...STRIPE_SYNC_RESULT_TYPES]) {
      expect(new ActivityProjector().handles).toContain(type);
    }
  });
});
