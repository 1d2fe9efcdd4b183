import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@ledgerline/event-store';
import { loadEventFixtures } from '@ledgerline/testing';
import { recordedEventAt } from '../testing/recorded-event';
import { LedgerBook } from '../ledger/ledger-book';
import { type BalanceTransaction, balanceTransactionsFromEvents } from './balance-transactions';
import { findDiscrepancies } from './findings';

const T = 1_767_225_600; // 2026-01-01T00:00:00Z
const PERIOD = { from: T, to: T + 86_400 };
let position = 0n;

function stripe(file: string, object: Record<string, unknown>, created = T + 60): RecordedEvent {
  const fixture = loadEventFixtures().find((f) => f.file.endsWith(file))!;
  const payload = JSON.parse(fixture.body) as { data: { object: Record<string, unknown> } } & Record<string, unknown>;
  position += 1n;
  return recordedEventAt(position, {
    type: String(payload.type),
    stream: `stripe_x-${String(object.id)}`,
    data: { ...payload, created, data: { object: { ...payload.data.object, ...object } } },
    metadata: { source: 'stripe', recordedAt: new Date().toISOString() },
  });
}

function platform(type: string, data: Record<string, unknown>): RecordedEvent {
  position += 1n;
  return recordedEventAt(position, {
    type,
    stream: `payment-${String(data.chargeId ?? 'x')}`,
    data,
    metadata: {
      source: 'platform',
      occurredAt: new Date((T + 65) * 1000).toISOString(),
      recordedAt: new Date().toISOString(),
    },
  });
}

const charge = (id: string, amount: number, extra: Record<string, unknown> = {}) =>
  stripe('stripe-ruby-mock/charge.succeeded.json', {
    id,
    amount,
    amount_captured: amount,
    currency: 'eur',
    created: T + 60,
    status: 'succeeded',
    captured: true,
    invoice: null,
    payment_intent: null,
    refunds: { data: [] },
    ...extra,
  });
const bt = (id: string, source: string, amount: number, type = 'charge', currency = 'eur'): BalanceTransaction => ({
  id,
  source,
  type,
  amount,
  fee: 0,
  currency,
  created: T + 61,
});
const bookOf = (events: RecordedEvent[]) => {
  const book = new LedgerBook();
  events.forEach((event) => book.add(event));
  return book;
};

describe('findDiscrepancies: the events against Stripe balance transactions', () => {
  it('Given a clean period, Then no finding', () => {
    const events = [
      charge('ch_ok', 1000, { invoice: 'in_ok' }),
      stripe('stripe-ruby-mock/invoice.paid.json', {
        id: 'in_ok',
        currency: 'eur',
        status: 'paid',
        amount_paid: 1000,
        charge: 'ch_ok',
        paid_out_of_band: false,
        starting_balance: 0,
        ending_balance: 0,
        status_transitions: { paid_at: T + 60 },
      }),
    ];
    expect(findDiscrepancies(bookOf(events), [bt('txn_ok', 'ch_ok', 1000)], 'stripe_api', PERIOD)).toEqual([]);
  });

  it('Given one of every kind of discrepancy, Then each is found, with the ids and events behind it', () => {
    const missedRefundCharge = charge('ch_refund', 3000);
    const events = [
      charge('ch_only_events', 500),
      charge('ch_amount', 2000),
      charge('ch_currency', 700),
      charge('ch_dup1', 900, { payment_intent: 'pi_dup' }),
      charge('ch_dup2', 900, { payment_intent: 'pi_dup' }),
      charge('ch_orphan', 400, { invoice: 'in_unknown' }),
      missedRefundCharge,
      platform('RefundRequested', {
        refundRequestId: 'req-lost',
        chargeId: 'ch_refund',
        paymentIntentId: null,
        amount: 1000,
        currency: 'eur',
      }),
      platform('RefundRequested', {
        refundRequestId: 'req-short',
        chargeId: 'ch_refund',
        paymentIntentId: null,
        amount: 1000,
        currency: 'eur',
      }),
      platform('RefundLinkedToStripe', { refundRequestId: 'req-short', stripeRefundId: 're_short' }),
      stripe('stripe-ruby-mock/charge.refund.updated.json', {
        id: 're_short',
        object: 'refund',
        charge: 'ch_refund',
        amount: 600,
        currency: 'eur',
        status: 'succeeded',
        created: T + 70,
        metadata: { ledgerline_command_id: 'req-short' },
      }),
      stripe('stripe-ruby-mock/invoice.paid.json', {
        id: 'in_nopay',
        currency: 'eur',
        status: 'paid',
        amount_paid: 1200,
        charge: 'ch_never',
        payment_intent: null,
        paid_out_of_band: false,
        starting_balance: 0,
        ending_balance: 0,
        status_transitions: { paid_at: T + 80 },
      }),
      stripe('stripe-ruby-mock/invoice.paid.json', {
        id: 'in_credit',
        currency: 'eur',
        status: 'paid',
        amount_paid: 0,
        charge: null,
        payment_intent: null,
        paid_out_of_band: false,
        starting_balance: -5000,
        ending_balance: -3000,
        status_transitions: { paid_at: T + 80 },
      }),
    ];
    const transactions = [
      bt('txn_missed', 'ch_missed_webhook', 800),
      bt('txn_amount', 'ch_amount', 1900),
      bt('txn_currency', 'ch_currency', 700, 'charge', 'usd'),
      bt('txn_dup1', 'ch_dup1', 900),
      bt('txn_dup2', 'ch_dup2', 900),
      bt('txn_orphan', 'ch_orphan', 400),
      bt('txn_refund', 'ch_refund', 3000),
      bt('txn_short', 're_short', -600, 'refund'),
      bt('txn_dash', 're_dashboard', -250, 'refund'),
      bt('txn_outside', 'ch_later', 100),
    ];
    transactions[transactions.length - 1]!.created = T + 90_000; // after the period: not a finding
    const book = bookOf(events);
    const findings = findDiscrepancies(book, transactions, 'stripe_api', PERIOD);
    const summary = findings.map((f) => [f.kind, f.stripeIds, f.expected, f.actual]);
    expect(summary).toEqual([
      ['amount_differs', ['ch_amount', 'txn_amount'], 2000, 1900],
      ['counted_twice', ['pi_dup', 'ch_dup1', 'ch_dup2'], 900, 1800],
      ['currency_differs', ['ch_currency', 'txn_currency'], null, null],
      ['missing_in_events', ['txn_missed', 'ch_missed_webhook'], null, 800],
      ['missing_in_stripe', ['ch_only_events'], 500, null],
      ['paid_invoice_without_payment', ['in_nopay', 'ch_never'], 1200, null],
      ['payment_without_invoice', ['ch_orphan', 'in_unknown'], null, 400],
      ['platform_refund_amount_differs', ['re_short'], 1000, 600],
      ['platform_refund_not_in_stripe', ['ch_refund'], 1000, null],
      ['stripe_refund_not_in_events', ['txn_dash', 're_dashboard'], null, -250],
    ]);
    // Every finding about something the events hold names the event that said it.
    const charged = findings.find((f) => f.kind === 'amount_differs')!;
    expect(charged.eventIds).toEqual([events[1]!.id]);
    expect(findings.find((f) => f.kind === 'platform_refund_amount_differs')!.eventIds).toHaveLength(2);
    // Deterministic: the same inputs in another order give the same findings, byte for byte.
    const again = findDiscrepancies(bookOf([...events].reverse()), [...transactions].reverse(), 'stripe_api', PERIOD);
    expect(JSON.stringify(again)).toBe(JSON.stringify(findings));
  });

  it('Given no API key, Then the balance transactions the events carry are compared, and nothing is called missing in Stripe', () => {
    const events = [
      charge('ch_carried', 1000, {
        balance_transaction: { id: 'txn_c', amount: 990, fee: 30, currency: 'eur', created: T + 60 },
      }),
      charge('ch_bare', 500),
    ];
    const book = bookOf(events);
    const transactions = balanceTransactionsFromEvents(book);
    expect(transactions).toEqual([
      expect.objectContaining({ id: 'txn_c', source: 'ch_carried', amount: 990, fee: 30 }),
    ]);
    expect(findDiscrepancies(book, transactions, 'events', PERIOD).map((f) => f.kind)).toEqual(['amount_differs']);
  });
});
