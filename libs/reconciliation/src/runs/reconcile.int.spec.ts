import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { PostgresEventStore } from '@ledgerline/event-store';
import { DAY, T0 } from '../testing/money-scenario';
import {
  buildCheckedReadModels,
  type MoneyScenarioDatabase,
  moneyScenarioDatabase,
} from '../testing/money-scenario.seed';
import { reconcile } from './reconcile';
import { reportCsv, reportJson } from './report';

const DAY1 = { from: T0, to: T0 + DAY };
const DAY2 = { from: T0 + DAY, to: T0 + 2 * DAY };

describe('reconcile: the events of a period against Stripe and the read models', () => {
  let scenario: MoneyScenarioDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  const deps = () => ({ store, dataSource, stripe: scenario.server.stripe(), readModelWaitMs: 0 });

  beforeAll(async () => {
    scenario = await moneyScenarioDatabase('reconcile');
    ({ dataSource, store } = scenario);
    // The read models, built from the same events by the worker's own projectors.
    await buildCheckedReadModels(store, dataSource);
    // A projection bug: the charges table lost 100 of one day-2 charge.
    await dataSource.query(`UPDATE charges SET amount_captured = amount_captured - 100 WHERE id = 'ch_rm'`);
  });
  afterAll(() => scenario?.close());

  it('Given a clean period, Then every total adds up and there is no finding', async () => {
    const report = await reconcile(DAY1, deps());
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({ findings: 0, byKind: {} });
    expect(report.balanceTransactions).toEqual({ source: 'stripe_api', count: 6 });
    expect(report.readModels).toEqual({ checked: true, reason: null, rows: 8, newerThanPosition: [] });
    expect(report.position).toBe((await store.headPosition()).toString());
    expect(report.ledger).toEqual([
      {
        day: '2026-01-01',
        currency: 'eur',
        account: null,
        grossCharges: 8000,
        charges: 2,
        refundsByPlatform: 1000,
        refundsByStripe: 500,
        disputeWithdrawals: 3000,
        disputeReinstatements: 0,
        fees: 175 + 117 + 1500,
        net: 8000 - 1000 - 500 - 3000 - 1792,
        balanceCredits: 2000,
        balanceDebits: 1500,
        invoicesPaid: 2,
        invoicesPaidAmount: 5000,
        invoicesPaidFromBalance: 1500,
      },
      {
        day: '2026-01-01',
        currency: 'eur',
        account: 'acct_scenario',
        grossCharges: 2500,
        charges: 1,
        refundsByPlatform: 0,
        refundsByStripe: 0,
        disputeWithdrawals: 0,
        disputeReinstatements: 0,
        fees: 100,
        net: 2400,
        balanceCredits: 0,
        balanceDebits: 0,
        invoicesPaid: 0,
        invoicesPaidAmount: 0,
        invoicesPaidFromBalance: 0,
      },
    ]);
    expect(report.totals.map((t) => [t.day, t.account, t.net])).toEqual([
      ['2026-01-01T00:00:00.000Z/2026-01-02T00:00:00.000Z', null, 1708],
      ['2026-01-01T00:00:00.000Z/2026-01-02T00:00:00.000Z', 'acct_scenario', 2400],
    ]);
  });

  it('Given a period with every kind of discrepancy, Then each is found with its Stripe ids and events', async () => {
    const report = await reconcile(DAY2, deps());
    expect(report.findings.map((f) => [f.kind, f.stripeIds, f.expected, f.actual])).toEqual([
      ['amount_differs', ['ch_amount', 'txn_amount'], 2000, 1900],
      ['counted_twice', ['pi_dup', 'ch_dup1', 'ch_dup2'], 900, 1800],
      ['currency_differs', ['ch_currency', 'txn_currency'], null, null],
      ['missing_in_events', ['txn_missed', 'ch_missed_webhook'], null, 800],
      ['missing_in_stripe', ['ch_only_events'], 500, null],
      ['paid_invoice_without_payment', ['in_nopay', 'ch_never'], 1200, null],
      ['payment_without_invoice', ['ch_orphan', 'in_unknown'], null, 400],
      ['platform_refund_amount_differs', ['re_short'], 1000, 600],
      ['platform_refund_not_in_stripe', ['ch_refund'], 1000, null],
      ['read_model_differs', ['ch_rm'], 15_500, 15_400],
      ['stripe_refund_not_in_events', ['txn_dash', 're_dashboard'], null, -250],
    ]);
    const rm = report.findings.find((f) => f.kind === 'read_model_differs')!;
    expect(rm.readModel).toEqual({ table: 'charges', field: 'grossCharges', day: '2026-01-02', account: null });
    const [rmEvent] = await store.readStream('stripe_charge-ch_rm');
    expect(rm.eventIds).toEqual([rmEvent!.id]);
    const [amountEvent] = await store.readStream('stripe_charge-ch_amount');
    expect(report.findings[0]!.eventIds).toEqual([amountEvent!.id]);
    expect(report.summary.findings).toBe(11);
    expect(report.summary.byKind).toMatchObject({ counted_twice: 1, read_model_differs: 1 });
  });

  it('Given the same events and inputs, Then the report is byte-identical, in JSON and CSV', async () => {
    const first = await reconcile(DAY2, deps());
    const second = await reconcile(DAY2, deps());
    expect(reportJson(second)).toBe(reportJson(first));
    expect(reportCsv(second)).toBe(reportCsv(first));
    const csv = reportCsv(first).split('\r\n');
    expect(csv[0]).toMatch(
      /^record,day,currency,account,gross_charges,.*,finding,expected,actual,stripe_ids,event_ids,message$/,
    );
    expect(csv[1]).toContain(`position ${first.position}`);
    expect(csv.filter((row) => row.startsWith('finding,'))).toHaveLength(11);
  });

  it('Given no API key, Then the balance transactions the events carry are used, and the report says so', async () => {
    const report = await reconcile(DAY1, { ...deps(), stripe: null });
    expect(report.balanceTransactions).toEqual({ source: 'events', count: 2 });
    expect(report.findings).toEqual([]);
    // Fees are those the events carry: the charge's expanded balance transaction and the dispute's.
    expect(report.ledger[0]!.fees).toBe(175 + 1500);
  });

  it('Given a currency or a Connect account, Then only its money is reconciled', async () => {
    const connect = await reconcile({ ...DAY1, account: 'acct_scenario' }, deps());
    expect(connect.ledger.map((l) => [l.account, l.grossCharges])).toEqual([['acct_scenario', 2500]]);
    expect(connect.findings).toEqual([]);
    const usd = await reconcile({ ...DAY2, currency: 'usd' }, deps());
    expect(usd.ledger).toEqual([]);
    expect(usd.findings).toEqual([]);
  });

  it('Given read models behind the run, Then the read-model check is skipped and the report says why', async () => {
    await dataSource.query(`UPDATE projections.projection_state SET position = 1 WHERE name = 'payments'`);
    try {
      const report = await reconcile(DAY2, deps());
      expect(report.readModels.checked).toBe(false);
      expect(report.readModels.reason).toMatch(/payments at 1/);
      expect(report.findings.map((f) => f.kind)).not.toContain('read_model_differs');
    } finally {
      await dataSource.query(`UPDATE projections.projection_state SET position = $1 WHERE name = 'payments'`, [
        (await store.headPosition()).toString(),
      ]);
    }
  });
});
