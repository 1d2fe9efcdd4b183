import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@ledgerline/event-store';
import { loadEventFixtures } from '@ledgerline/testing';
import { recordedEventAt } from '../testing/recorded-event';
import { LedgerBook } from './ledger-book';

const DAY = 86_400;
const T = 1_767_225_600; // 2026-01-01T00:00:00Z
let position = 0n;

/** A published Stripe event (shared fixtures) with its object overridden, stored as the webhook stores it. */
function stripe(
  file: string,
  object: Record<string, unknown>,
  created: number,
  extra: Record<string, unknown> = {},
): RecordedEvent {
  const fixture = loadEventFixtures().find((f) => f.file.endsWith(file))!;
  const payload = JSON.parse(fixture.body) as { data: { object: Record<string, unknown> } } & Record<string, unknown>;
  position += 1n;
  return recordedEventAt(position, {
    type: String(payload.type),
    stream: 'stripe_x-1',
    data: { ...payload, ...extra, created, data: { ...payload.data, object: { ...payload.data.object, ...object } } },
    metadata: { source: 'stripe', recordedAt: new Date().toISOString() },
  });
}

const book = (events: RecordedEvent[]) => {
  const ledger = new LedgerBook();
  events.forEach((event) => ledger.add(event));
  return ledger;
};

describe('LedgerBook: the ledger of a period, from events alone', () => {
  const charge = stripe(
    'stripe-ruby-mock/charge.succeeded.json',
    {
      id: 'ch_a',
      amount: 5000,
      amount_captured: 5000,
      currency: 'eur',
      created: T + 100,
      status: 'succeeded',
      captured: true,
      balance_transaction: { id: 'txn_a', amount: 5000, fee: 175, currency: 'eur', created: T + 100 },
      refunds: { data: [] },
    },
    T + 100,
  );
  const refunded = stripe(
    'stripe-ruby-mock/charge.refunded.json',
    {
      id: 'ch_a',
      amount: 5000,
      amount_captured: 5000,
      currency: 'eur',
      created: T + 100,
      status: 'succeeded',
      captured: true,
      // The same balance transaction, not expanded this time: its fee must not be lost.
      balance_transaction: 'txn_a',
      refunds: {
        object: 'list',
        data: [
          {
            id: 're_platform',
            object: 'refund',
            amount: 1000,
            currency: 'eur',
            created: T + DAY + 5,
            status: 'succeeded',
            metadata: { ledgerline_command_id: 'req-1' },
          },
          {
            id: 're_dashboard',
            object: 'refund',
            amount: 500,
            currency: 'eur',
            created: T + DAY + 9,
            status: 'succeeded',
            metadata: {},
          },
          {
            id: 're_failed',
            object: 'refund',
            amount: 700,
            currency: 'eur',
            created: T + DAY + 9,
            status: 'failed',
            metadata: {},
          },
        ],
      },
    },
    T + DAY + 10,
  );
  const withdrawn = stripe(
    'stripe-ruby-mock/charge.dispute.funds_withdrawn.json',
    {
      id: 'dp_a',
      charge: 'ch_a',
      currency: 'eur',
      created: T + DAY,
      balance_transactions: [{ id: 'txn_w', amount: -2000, fee: 1500, currency: 'eur', created: T + DAY + 20 }],
    },
    T + DAY + 20,
  );
  const reinstated = stripe(
    'stripe-ruby-mock/charge.dispute.funds_reinstated.json',
    {
      id: 'dp_a',
      charge: 'ch_a',
      currency: 'eur',
      created: T + DAY,
      balance_transactions: [
        { id: 'txn_w', amount: -2000, fee: 1500, currency: 'eur', created: T + DAY + 20 },
        { id: 'txn_r', amount: 2000, fee: -1500, currency: 'eur', created: T + 2 * DAY + 1 },
      ],
    },
    T + 2 * DAY + 1,
  );
  const invoicePaid = stripe(
    'stripe-ruby-mock/invoice.paid.json',
    {
      id: 'in_a',
      currency: 'eur',
      status: 'paid',
      amount_paid: 1500,
      starting_balance: -500,
      ending_balance: 0,
      status_transitions: { paid_at: T + 200 },
    },
    T + 200,
  );
  const credited = stripe(
    'stripe-ruby-mock/customer.updated.json',
    { id: 'cus_a', currency: 'eur', balance: -800 },
    T + 300,
    {},
  );
  (credited.data as { data: { previous_attributes: unknown } }).data.previous_attributes = { balance: 0 };

  it('Given a charge, refunds by the platform and by Stripe, a dispute lost then won, a paid invoice and a credit, Then each day adds up', () => {
    const ledger = book([charge, refunded, withdrawn, reinstated, invoicePaid, credited]).ledger(T, T + 3 * DAY);
    expect(ledger).toEqual([
      expect.objectContaining({
        day: '2026-01-01',
        currency: 'eur',
        account: null,
        grossCharges: 5000,
        charges: 1,
        fees: 175,
        net: 4825,
        invoicesPaid: 1,
        invoicesPaidAmount: 1500,
        invoicesPaidFromBalance: 500,
        balanceCredits: 800,
        balanceDebits: 0,
      }),
      expect.objectContaining({
        day: '2026-01-02',
        refundsByPlatform: 1000,
        refundsByStripe: 500,
        disputeWithdrawals: 2000,
        fees: 1500,
        net: -5000,
      }),
      expect.objectContaining({ day: '2026-01-03', disputeReinstatements: 2000, fees: -1500, net: 3500 }),
    ]);
  });

  it('Given the same events in any order or twice, Then the same ledger', () => {
    const events = [charge, refunded, withdrawn, reinstated, invoicePaid, credited];
    const expected = JSON.stringify(book(events).ledger(T, T + 3 * DAY));
    expect(JSON.stringify(book([...events].reverse()).ledger(T, T + 3 * DAY))).toBe(expected);
    expect(JSON.stringify(book([...events, ...events]).ledger(T, T + 3 * DAY))).toBe(expected);
  });

  it('Given a period, Then only what happened in it counts', () => {
    const ledger = book([charge, refunded, withdrawn, reinstated]).ledger(T + DAY, T + 2 * DAY);
    expect(ledger.map((line) => line.day)).toEqual(['2026-01-02']);
  });

  it('Given a platform refund request and its link, Then the book knows which Stripe refund it became', () => {
    position += 1n;
    const request: RecordedEvent = {
      ...charge,
      id: '00000000-0000-4000-8000-0000000000a1',
      type: 'RefundRequested',
      position,
      data: {
        refundRequestId: 'req-1',
        paymentId: 'ch_a',
        chargeId: 'ch_a',
        paymentIntentId: null,
        customerId: null,
        amount: 1000,
        currency: 'eur',
        reason: null,
      },
      metadata: { source: 'platform', recordedAt: '' },
    };
    const link: RecordedEvent = {
      ...request,
      id: '00000000-0000-4000-8000-0000000000a2',
      type: 'RefundLinkedToStripe',
      data: { refundRequestId: 'req-1', stripeRefundId: 're_platform' },
    };
    expect(book([request, link]).refundRequests()).toEqual([
      expect.objectContaining({ requestId: 'req-1', amount: 1000, stripeRefundId: 're_platform' }),
    ]);
  });
});
